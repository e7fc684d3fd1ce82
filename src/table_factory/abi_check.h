// Include first in every file of sctable that includes RocksDB internal
// headers. It stops the build if those headers are being compiled with
// NDEBUG: Debian built librocksdb without it, and several internal classes
// (BlockContents, port::Mutex, BlockBuilder, WritableFileWriter) change layout
// with it, which corrupts memory silently (rocksdb-7.8.3-plugin.md §2).
// The ABI guard experiment defines SCTABLE_ABI_EXPERIMENT to get past this
// check on purpose and show the runtime failure.
#pragma once

#if defined(NDEBUG) && !defined(SCTABLE_ABI_EXPERIMENT)
#error "RocksDB internal headers must be compiled without NDEBUG: link sctable::rocksdb_internal"
#endif
#if defined(ROCKSDB_LITE) || defined(USE_COROUTINES) || \
    defined(ROCKSDB_ASSERT_STATUS_CHECKED) || defined(NPERF_CONTEXT) || \
    defined(NIOSTATS_CONTEXT)
#error "a definition that changes RocksDB 7.8.3's ABI is set"
#endif
