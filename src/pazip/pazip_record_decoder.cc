// See pazip_record_decoder.h. Safety argument, in one place:
//  * tokens are read forward with p < end checked before every byte;
//  * literal bits are read backward by 8-byte loads at q in
//    [begin - 8, end - 8]; the payload's 8 front and 16 back padding bytes
//    keep every load inside the mapped store, and q never goes below
//    begin - 8 (checked on each refill);
//  * after the loop, tokens consumed + literal bits consumed must fit the
//    record, so bytes shared by both streams are rejected;
//  * dictionary copies satisfy off + len <= dict_len (checked, no overflow),
//    and the 16-byte chunked copy over-reads at most 15 bytes into kDictPad;
//  * local copies satisfy 1 <= dist <= bytes written so far;
//  * every write satisfies out + len <= out_end; chunked writes only run
//    when 16 bytes of slack remain.
#include "pazip/pazip_record_decoder.h"

#include <cstring>

#include "common/coding.h"

namespace sctable {
namespace pazip {
namespace {

inline bool ReadVarint(const uint8_t*& p, const uint8_t* end, uint64_t* v) {
  if (p < end && *p < 0x80) {  // fast path: one byte
    *v = *p++;
    return true;
  }
  const char* q = GetVarint64Ptr(reinterpret_cast<const char*>(p),
                                 reinterpret_cast<const char*>(end), v);
  if (q == nullptr) return false;
  p = reinterpret_cast<const uint8_t*>(q);
  return true;
}

inline void Copy16(char* dst, const char* src) {
  char tmp[16];
  std::memcpy(tmp, src, 16);
  std::memcpy(dst, tmp, 16);
}

}  // namespace

const char* ParseRecordHeader(const char* begin, const char* end,
                              uint64_t* raw_len, bool* coded) {
  uint64_t h = 0;
  const char* p = GetVarint64Ptr(begin, end, &h);
  if (p == nullptr) return nullptr;
  *raw_len = h >> 1;
  *coded = (h & 1) != 0;
  return p;
}

bool DecodeRecordBody(const DecodeContext& ctx, const char* body,
                      const char* end, uint64_t raw_len, bool coded,
                      char* out) {
  if (!coded) {
    if (static_cast<uint64_t>(end - body) != raw_len) return false;
    if (raw_len) std::memcpy(out, body, raw_len);
    return true;
  }
  if (ctx.huff == nullptr || end <= body) return false;
  const uint16_t* table = ctx.huff->entry;
  const uint8_t* p = reinterpret_cast<const uint8_t*>(body);
  const uint8_t* tend = reinterpret_cast<const uint8_t*>(end);
  char* o = out;
  char* const oend = out + raw_len;

  // Backward literal bit reader (pazip_huffman.h).
  const char* const qmin = body - 8;  // >= record begin - 8, see file comment
  const char* q = end - 8;
  uint64_t c = LoadU64(q);
  if ((c >> 56) == 0) return false;  // last byte must hold the sentinel
  unsigned used = static_cast<unsigned>(__builtin_clzll(c)) + 1;
  constexpr unsigned kPeekShift = 64 - kHuffMaxBits;

  uint64_t prev_dict_end = 0;
  while (o < oend) {
    if (p >= tend) return false;
    const unsigned t = *p++;
    uint64_t lit = t & 7;
    if (lit == kLitInline) {
      uint64_t ext;
      if (!ReadVarint(p, tend, &ext)) return false;
      lit += ext;
      if (lit < ext) return false;
    }
    if (lit > static_cast<uint64_t>(oend - o)) return false;
    // Literals: groups of 4 after one refill (4 * 11 <= 64 - 7 bits).
    while (lit >= 4) {
      q -= used >> 3;
      used &= 7;
      if (q < qmin) return false;
      c = LoadU64(q);
      for (int k = 0; k < 4; ++k) {
        const uint16_t e = table[(c << used) >> kPeekShift];
        *o++ = static_cast<char>(e & 0xff);
        used += e >> 8;
      }
      lit -= 4;
    }
    while (lit > 0) {
      if (used > kPeekShift) {
        q -= used >> 3;
        used &= 7;
        if (q < qmin) return false;
        c = LoadU64(q);
      }
      const uint16_t e = table[(c << used) >> kPeekShift];
      *o++ = static_cast<char>(e & 0xff);
      used += e >> 8;
      --lit;
    }
    const unsigned m = t >> 3;
    if (m == 0) continue;
    uint64_t len;
    uint64_t v;
    if (m < kLocalCodeBase) {  // dictionary match
      len = m + kDictMinMatch - 1;
      if (m == kDictCodeMax) {
        if (!ReadVarint(p, tend, &v)) return false;
        len = kDictLenInlineMax + 1 + v;
        if (len < v) return false;
      }
      if (!ReadVarint(p, tend, &v)) return false;
      const uint64_t off = prev_dict_end + static_cast<uint64_t>(ZigZagDecode(v));
      // Unsigned wrap-around makes a negative result huge, caught here.
      if (len > ctx.dict_len || off > ctx.dict_len - len) return false;
      if (len > static_cast<uint64_t>(oend - o)) return false;
      const char* src = ctx.dict + off;
      if (len + 16 <= static_cast<uint64_t>(oend - o)) {
        for (uint64_t k = 0; k < len; k += 16) Copy16(o + k, src + k);
      } else {
        std::memcpy(o, src, len);
      }
      o += len;
      prev_dict_end = off + len;
    } else {  // local match
      len = m - kLocalCodeBase + kLocalMinMatch;
      if (m == kLocalCodeMax) {
        if (!ReadVarint(p, tend, &v)) return false;
        len = kLocalLenInlineMax + 1 + v;
        if (len < v) return false;
      }
      if (!ReadVarint(p, tend, &v)) return false;
      if (v >= static_cast<uint64_t>(o - out)) return false;  // dist = v + 1
      if (len > static_cast<uint64_t>(oend - o)) return false;
      const char* src = o - (v + 1);
      if (v + 1 >= 16 && len + 16 <= static_cast<uint64_t>(oend - o)) {
        for (uint64_t k = 0; k < len; k += 16) Copy16(o + k, src + k);
      } else {
        for (uint64_t k = 0; k < len; ++k) o[k] = src[k];
      }
      o += len;
    }
  }
  // Tokens and literal bits must tile the body exactly: consumed literal
  // bits are (end - q) * 8 - 64 + used, counted from the record's end, and
  // the encoder's stream is whole bytes (padding + sentinel + codes). So no
  // byte of a record goes unread, and a changed byte changes the decode.
  const uint64_t lit_bits = static_cast<uint64_t>(end - q) * 8 - 64 + used;
  const uint64_t room_bits =
      static_cast<uint64_t>(tend - p) * 8;
  return lit_bits == room_bits;
}

}  // namespace pazip
}  // namespace sctable
