// AdviseHugePages: ask the kernel to back a large, randomly accessed buffer
// with transparent huge pages, so that lookups into it (hash tables, suffix
// arrays) stop paying a TLB miss and a page walk each.
#pragma once

#include <cstddef>

namespace sctable {

// Advises MADV_HUGEPAGE for the whole 2 MiB pages inside [p, p + n). Call it
// before the memory is first touched (e.g. after vector::reserve, before
// resize). Only a hint: it does nothing when the range holds no whole huge
// page, when transparent huge pages are off, or off Linux; it never fails.
void AdviseHugePages(void* p, size_t n);

}  // namespace sctable
