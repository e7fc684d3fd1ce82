// See pazip_record_decoder.h. Safety argument, in one place:
//  * code tables are validated at open (complete codes, only valid symbols),
//    so every 11-bit lookup yields a valid symbol and extra bits <= 40;
//  * sequence bits are read forward by 8-byte loads at p in [body, end + 8]
//    (checked on each refill; a valid record keeps p <= end + 7, as the
//    reader looks at most 8 bytes ahead); the payload's 16 back padding
//    bytes keep every load inside the mapped store; a refill precedes each
//    field, so a field (<= 11 + 40 bits) never needs more than the 56+
//    bits it leaves;
//  * literal bits are read backward by 8-byte loads at [q - 8, q), q >=
//    body, else from body - 8 with the bytes below it taken as zeros
//    (q < body - 7 is rejected: more than the lookahead); the payload's 8
//    front padding bytes keep every load inside the mapped store;
//  * after the loop, sequence bytes + literal bits must tile the body
//    exactly (no byte unused or shared, sequence padding bits zero);
//  * dictionary copies satisfy off + len <= dict_len (checked, no overflow),
//    the 16-byte chunked copy over-reads at most 15 bytes into kDictPad,
//    the 32-byte one is only taken when off + 32 <= dict_len + kDictPad;
//  * local copies satisfy 1 <= dist <= bytes written so far + key length;
//    the bytes before the record's start are read from the key, inside it;
//  * every write satisfies out + len <= out_end; chunked writes only run
//    when 16 bytes of slack remain.
#include "pazip/pazip_record_decoder.h"

#include <algorithm>
#include <cstring>

#include "common/coding.h"

namespace sctable {
namespace pazip {
namespace {

inline void Copy16(char* dst, const char* src) {
  char tmp[16];
  std::memcpy(tmp, src, 16);
  std::memcpy(dst, tmp, 16);
}

constexpr uint64_t kPeekMask = (1u << kHuffMaxBits) - 1;

template <size_t N>
inline void CopyN(char* dst, const char* src) {
  char tmp[N];
  std::memcpy(tmp, src, N);
  std::memcpy(dst, tmp, N);
}

// Copies exactly len >= 1 bytes, reading and writing nothing outside
// [src, src + len) and [dst, dst + len): fixed-size chunks, the last one
// overlapping the one before. Safe for dst - src >= 16 (a local match at
// distance >= 16: every chunk reads bytes written before it).
inline void CopyExact(char* dst, const char* src, uint64_t len) {
  if (len >= 16) {
    for (uint64_t k = 0; k + 16 < len; k += 16) Copy16(dst + k, src + k);
    Copy16(dst + len - 16, src + len - 16);
  } else if (len >= 8) {
    CopyN<8>(dst, src);
    CopyN<8>(dst + len - 8, src + len - 8);
  } else if (len >= 4) {
    CopyN<4>(dst, src);
    CopyN<4>(dst + len - 4, src + len - 4);
  } else {
    for (uint64_t k = 0; k < len; ++k) dst[k] = src[k];
  }
}

}  // namespace

Status BuildCodeTables(const uint8_t* lengths, CodeTables* t) {
  for (unsigned b = 0; b < 256; ++b) {
    if (lengths[b] >= kLitContexts) {
      return Status::Corruption("pazip tables: bad literal context");
    }
    t->lit_context[b] = lengths[b];
  }
  for (unsigned k = 0; k < kLitContexts; ++k) {
    SCTABLE_RETURN_IF_ERROR(BuildHuffmanTable(
        lengths + kLitTablesOffset + 256 * k, &t->lit[k], 256, false, 256));
    // Each literal entry also carries the context of the next literal (bits
    // 12..13), saving the decoder a dependent load per literal.
    for (uint16_t& e : t->lit[k].entry) {
      e = static_cast<uint16_t>((e & 0xfff) | (t->lit_context[e & 0xff] << 12));
    }
  }
  // Pair entries: the first code, then the second from the bits after it
  // (MSB-first, zero-filled), kept only if its whole code was peeked.
  constexpr unsigned kBits = kHuffMaxBits;
  for (unsigned k = 0; k < kLitContexts; ++k) {
    for (uint32_t x = 0; x < (1u << kBits); ++x) {
      const uint16_t e1 = t->lit[k].entry[x];
      const unsigned len1 = (e1 >> 8) & 0xf, ctx1 = e1 >> 12;
      const uint16_t e2 = t->lit[ctx1].entry[(x << len1) & ((1u << kBits) - 1)];
      const unsigned len2 = (e2 >> 8) & 0xf, ctx2 = e2 >> 12;
      // Both kinds also carry the first code's length (bits 24..27), so
      // the last literal of an odd run is read from this table too: the
      // single-symbol tables then stay out of the decoder's cache.
      t->lit2[k][x] =
          (len1 + len2 <= kBits
               ? (e1 & 0xffu) | (e2 & 0xffu) << 8 | (len1 + len2) << 16 |
                     2u << 21 | ctx2 << 30
               : (e1 & 0xffu) | len1 << 16 | 1u << 21 | ctx1 << 30) |
          len1 << 24;
    }
  }
  const uint8_t* s = lengths + kSeqTablesOffset;
  SCTABLE_RETURN_IF_ERROR(
      BuildHuffmanTable(s, &t->ll, kSeqSymbols, true, kLLSymbols));
  SCTABLE_RETURN_IF_ERROR(BuildHuffmanTable(s + kSeqSymbols, &t->ml,
                                            kSeqSymbols, true, kMLSymbols));
  s += 2 * kSeqSymbols;
  for (unsigned k = 0; k < kOFLocalBase; ++k) {
    if (s[k] != 0 && ((k >= kOFDictSymbols && k < kOFAbsBase) || k >= kOFAbsSymbols)) {
      return Status::Corruption("pazip tables: bad offset symbol");
    }
  }
  SCTABLE_RETURN_IF_ERROR(
      BuildHuffmanTable(s, &t->of, kSeqSymbols, true, kOFSymbols));
  // LL+ML pairs (LSB-first: the ML code starts at bit len1 of the peek).
  for (uint32_t x = 0; x < (1u << kHuffMaxBits); ++x) {
    const uint16_t e1 = t->ll.entry[x];
    const unsigned sym1 = e1 & 0xff, len1 = e1 >> 8;
    uint32_t e = sym1 | len1 << 16;
    if (sym1 < kLLDirect) {
      const uint16_t e2 = t->ml.entry[x >> len1];
      const unsigned len2 = e2 >> 8;
      if (len1 + len2 <= kHuffMaxBits) e |= (e2 & 0xffu) << 8 | len2 << 20;
    }
    t->llml[x] = e;
  }
  return Status::OK();
}

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
                      std::string_view key, char* out) {
  if (!coded) {
    if (static_cast<uint64_t>(end - body) != raw_len) return false;
    if (raw_len) std::memcpy(out, body, raw_len);
    return true;
  }
  if (ctx.tables == nullptr || end <= body) return false;
  const CodeTables& tabs = *ctx.tables;
  char* o = out;
  char* const oend = out + raw_len;

  // Forward sequence bit reader: the unread bits are the low `nbits` of s
  // (consumed bits are shifted out), and the byte at p is at bit `nbits`.
  // A refill ORs in the next 8 bytes and keeps >= 56 bits; its load
  // depends only on the previous refill, not on the field just read, so
  // it leaves the chain field -> table lookup -> shift.
  const char* p = body;
  uint64_t s = 0;
  unsigned nbits = 0;
  // Fails once the stream runs past the record (8 bytes of lookahead).
#define PAZIP_REFILL()                  \
  do {                                  \
    if (p > end + 8) return false;      \
    s |= LoadU64(p) << nbits;           \
    p += (63 - nbits) >> 3;             \
    nbits |= 56;                        \
  } while (0)
#define PAZIP_SKIP(n)      \
  do {                     \
    const unsigned n_ = n; \
    s >>= n_;              \
    nbits -= n_;           \
  } while (0)
  // Reads one field: symbol from `table`, then `nb` extra bits into `v`.
#define PAZIP_SYMBOL(table, sym)                 \
  do {                                           \
    PAZIP_REFILL();                              \
    const uint16_t e_ = table[s & kPeekMask];    \
    PAZIP_SKIP(e_ >> 8);                         \
    sym = e_ & 0xff;                             \
  } while (0)
#define PAZIP_EXTRA(nb, v)                                   \
  do {                                                       \
    v = (s & ((1ull << (nb)) - 1)) | (1ull << (nb));         \
    PAZIP_SKIP(nb);                                          \
  } while (0)

  // Backward literal bit reader (pazip_huffman.h), the mirror of the
  // sequence reader: the unread bits are the top `lnb` of c, and the byte
  // before q is at bit `lnb` from the top. A refill keeps >= 56 bits.
  // Near the record's start the 8 bytes below q would reach before
  // body - 8: those bytes cannot be literal bits, so they are read as
  // zeros instead (and any use of them fails the tiling check below).
  const char* q = end;
  uint64_t c = 0;
  unsigned lnb = 0;
#define PAZIP_LIT_REFILL()                                               \
  do {                                                                   \
    uint64_t w_;                                                         \
    if (__builtin_expect(q >= body, 1)) {                                \
      w_ = LoadU64(q - 8);                                               \
    } else {                                                             \
      if (q < body - 7) return false;                                    \
      w_ = LoadU64(body - 8) << (8 * static_cast<unsigned>(body - q));   \
    }                                                                    \
    c |= w_ >> lnb;                                                      \
    q -= (63 - lnb) >> 3;                                                \
    lnb |= 56;                                                           \
  } while (0)
#define PAZIP_LIT_SKIP(n)  \
  do {                     \
    const unsigned n_ = n; \
    c <<= n_;              \
    lnb -= n_;             \
  } while (0)
  PAZIP_LIT_REFILL();
  if ((c >> 56) == 0) return false;  // last byte must hold the sentinel
  {
    const unsigned sentinel = static_cast<unsigned>(__builtin_clzll(c)) + 1;
    PAZIP_LIT_SKIP(sentinel);
  }
  constexpr unsigned kPeekShift = 64 - kHuffMaxBits;

  uint64_t prev_dict_end = 0;
  // The context of the next literal run: set from the last byte of each
  // match (0 before the record's first byte).
  unsigned next_lctx = tabs.lit_context[0];
  while (o < oend) {
    unsigned sym;
    uint64_t lit;
    // LL, and with it the ML code when the pair table has both.
    unsigned ml_len, ml_sym;
    {
      PAZIP_REFILL();
      const uint32_t e = tabs.llml[s & kPeekMask];
      ml_len = (e >> 20) & 0xf;
      ml_sym = (e >> 8) & 0xff;
      PAZIP_SKIP((e >> 16) & 0xf);  // the ML code's bits go once ML is due
      sym = e & 0xff;
    }
    if (sym < kLLDirect) {
      lit = sym;
    } else {
      PAZIP_EXTRA(sym - 12, lit);
    }
    if (lit > static_cast<uint64_t>(oend - o)) return false;
    // Each literal's table is chosen by the byte before it; a literal
    // entry carries the context its symbol selects for the next one.
    unsigned lctx = next_lctx;
    // Literals, mostly two per lookup: groups of 4 lookups (4 to 8
    // literals) after one refill (4 * 11 <= the 56 bits it leaves). Each
    // lookup writes two bytes but advances by its count, so it needs 2
    // literals left: true for all 4 when a group starts with 8 or more.
    while (lit >= 8) {
      PAZIP_LIT_REFILL();
      const char* const start = o;
      for (int k = 0; k < 4; ++k) {
        const uint32_t e = tabs.lit2[lctx][c >> kPeekShift];
        const uint16_t two = static_cast<uint16_t>(e);
        std::memcpy(o, &two, 2);
        o += (e >> 21) & 3;
        PAZIP_LIT_SKIP((e >> 16) & 0x1f);
        lctx = e >> 30;
      }
      lit -= static_cast<uint64_t>(o - start);
    }
    while (lit >= 2) {
      if (lnb < kHuffMaxBits) PAZIP_LIT_REFILL();
      const uint32_t e = tabs.lit2[lctx][c >> kPeekShift];
      const uint16_t two = static_cast<uint16_t>(e);
      std::memcpy(o, &two, 2);
      const unsigned n = (e >> 21) & 3;
      o += n;
      PAZIP_LIT_SKIP((e >> 16) & 0x1f);
      lctx = e >> 30;
      lit -= n;
    }
    // At most one literal is left: a single-symbol lookup.
    if (lit > 0) {
      if (lnb < kHuffMaxBits) PAZIP_LIT_REFILL();
      const uint32_t e = tabs.lit2[lctx][c >> kPeekShift];
      *o++ = static_cast<char>(e & 0xff);
      PAZIP_LIT_SKIP((e >> 24) & 0xf);
    }
    if (o == oend) break;  // the record ends with this LL: no ML follows
    uint64_t len;
    if (ml_len != 0) {
      sym = ml_sym;
      PAZIP_SKIP(ml_len);
    } else {
      PAZIP_SYMBOL(tabs.ml.entry, sym);
    }
    if (sym < kMLDirect) {
      len = sym;
    } else {
      PAZIP_EXTRA(sym - 27, len);
    }
    len += kMinMatch;
    if (len > static_cast<uint64_t>(oend - o)) return false;
    uint64_t v;
    PAZIP_SYMBOL(tabs.of.entry, sym);
    if (sym < kOFLocalBase) {  // dictionary match
      uint64_t off;
      if (sym == 0) {
        off = prev_dict_end;
      } else if (sym < kOFAbsBase) {
        PAZIP_EXTRA(sym - 1, v);
        off = prev_dict_end + static_cast<uint64_t>(ZigZagDecode(v));
      } else {
        PAZIP_EXTRA(sym - kOFAbsBase, v);
        off = v - 1;
      }
      // Unsigned wrap-around makes a negative result huge, caught here.
      if (len > ctx.dict_len || off > ctx.dict_len - len) return false;
      const char* src = ctx.dict + off;
      if (len <= 32 && static_cast<uint64_t>(oend - o) >= 32 &&
          off + 32 <= ctx.dict_len + kDictPad) {
        // Most matches: two chunks, no loop whose exit would mispredict.
        Copy16(o, src);
        Copy16(o + 16, src + 16);
      } else if (len + 16 <= static_cast<uint64_t>(oend - o)) {
        for (uint64_t k = 0; k < len; k += 16) Copy16(o + k, src + k);
      } else {
        CopyExact(o, src, len);
      }
      o += len;
      prev_dict_end = off + len;
      next_lctx = tabs.lit_context[static_cast<uint8_t>(src[len - 1])];
    } else {  // local match at distance v
      PAZIP_EXTRA(sym - kOFLocalBase, v);
      const uint64_t written = static_cast<uint64_t>(o - out);
      if (v > written) {
        // Starts in the key, which precedes the record; continues (if
        // longer) from the record's first bytes, overlapping as usual.
        const uint64_t back = v - written;
        if (back > key.size()) return false;
        const uint64_t from_key = std::min<uint64_t>(len, back);
        std::memcpy(o, key.data() + key.size() - back, from_key);
        for (uint64_t k = from_key; k < len; ++k) o[k] = o[k - v];
        o += len;
        next_lctx = tabs.lit_context[static_cast<uint8_t>(o[-1])];
        continue;
      }
      const char* src = o - v;
      if (v >= 16 && len <= 32 && static_cast<uint64_t>(oend - o) >= 32) {
        Copy16(o, src);
        Copy16(o + 16, src + 16);
      } else if (v >= 16 && len + 16 <= static_cast<uint64_t>(oend - o)) {
        for (uint64_t k = 0; k < len; k += 16) Copy16(o + k, src + k);
      } else if (v >= 16) {
        CopyExact(o, src, len);
      } else {
        for (uint64_t k = 0; k < len; ++k) o[k] = src[k];
      }
      o += len;
      next_lctx = tabs.lit_context[static_cast<uint8_t>(o[-1])];
    }
  }
#undef PAZIP_EXTRA
#undef PAZIP_SYMBOL
#undef PAZIP_SKIP
#undef PAZIP_LIT_SKIP
#undef PAZIP_LIT_REFILL
#undef PAZIP_REFILL
  // Sequence bytes and literal bits must tile the body exactly: consumed
  // literal bits are (end - q) * 8 - lnb, counted from the record's end,
  // sequence bits (p - body) * 8 - nbits, and both streams are whole bytes. So no byte of a record goes
  // unread, and a changed byte changes the decode (or is rejected).
  const uint64_t seq_bits = static_cast<uint64_t>(p - body) * 8 - nbits;
  const uint64_t seq_bytes = (seq_bits + 7) / 8;
  const uint64_t lit_bits = static_cast<uint64_t>(end - q) * 8 - lnb;
  if (seq_bytes * 8 + lit_bits != static_cast<uint64_t>(end - body) * 8) {
    return false;
  }
  if (seq_bits % 8 != 0 &&
      (static_cast<uint8_t>(body[seq_bits / 8]) >> (seq_bits % 8)) != 0) {
    return false;  // padding bits of the sequence stream must be zero
  }
  return true;
}

}  // namespace pazip
}  // namespace sctable
