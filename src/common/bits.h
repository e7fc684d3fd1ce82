// Word-level bit tricks shared by the succinct structures: popcount, the
// position of the k-th set bit inside one 64-bit word, and unaligned
// little-endian word loads. Bits are numbered LSB-first inside little-endian
// uint64_t words (bit i of a bit vector is bit i%64 of word i/64).
//
// With __BMI2__ (e.g. -mbmi2 or SCTABLE_NATIVE=ON) SelectInWord is one
// pdep + tzcnt; without it a portable byte-wise fallback is used, so a
// portable build runs on any x86-64 (or other) CPU.
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__BMI2__)
#include <immintrin.h>
#endif

namespace sctable {

// With -mpopcnt (__POPCNT__) this is one instruction. Without it GCC would
// call libgcc's table-driven __popcountdi2, which measured ~2x slower in the
// trie walk than this inline SWAR form.
inline int Popcount64(uint64_t x) {
#if defined(__POPCNT__)
  return __builtin_popcountll(x);
#else
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
  return static_cast<int>((x * 0x0101010101010101ULL) >> 56);
#endif
}

// Index (0..63) of the lowest set bit. REQUIRES: x != 0.
inline int CountTrailingZeros64(uint64_t x) { return __builtin_ctzll(x); }

// Position (0..63) of the k-th (0-based) set bit of `x`, or 64 if `x` has
// at most k set bits.
inline int SelectInWord(uint64_t x, int k) {
  if (k >= Popcount64(x)) return 64;
#if defined(__BMI2__)
  return static_cast<int>(_tzcnt_u64(_pdep_u64(uint64_t{1} << k, x)));
#else
  int base = 0;
  for (;;) {
    int c = Popcount64(x & 0xff);
    if (k < c) break;
    k -= c;
    x >>= 8;
    base += 8;
  }
  for (;; ++base, x >>= 1) {
    if (x & 1) {
      if (k == 0) return base;
      --k;
    }
  }
#endif
}

// Loads 8 bytes at `p` as a little-endian word; `p` need not be aligned.
inline uint64_t LoadWord64(const void* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

inline uint32_t LoadWord32(const void* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap32(v);
#endif
  return v;
}

}  // namespace sctable
