// Word-level bit tricks shared by the succinct structures: popcount, the
// position of the k-th set bit inside one 64-bit word, and unaligned
// little-endian word loads. Bits are numbered LSB-first inside little-endian
// uint64_t words (bit i of a bit vector is bit i%64 of word i/64).
//
// Instruction selection. With __POPCNT__/__BMI2__ (e.g. SCTABLE_NATIVE=ON)
// popcount and select-in-word compile to popcnt / pdep+tzcnt. A portable
// x86-64 build decides at run time instead: FastBits() (one load of a global
// set at start-up from cpuid) picks inline-asm popcnt / pdep when the CPU has
// POPCNT and BMI2, else the portable SWAR / byte-wise forms. The branch is
// perfectly predicted; measured on npm names it makes the portable build's
// trie walk about as fast as a -march=native build (docs/design.md).
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__BMI2__)
#include <immintrin.h>
#endif

namespace sctable {

namespace bits_internal {
inline bool DetectFastBits() {
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi2");
#else
  return false;
#endif
}
// False until static initialisation has run: callers then take the portable
// path, which gives the same answers.
inline bool g_fast_bits = DetectFastBits();
}  // namespace bits_internal

// True when the run-time fast paths (popcnt, pdep) are in use.
inline bool FastBits() { return bits_internal::g_fast_bits; }
// Tests: force the portable path (false) or restore detection (true).
inline void SetFastBitsForTesting(bool allow) {
  bits_internal::g_fast_bits = allow && bits_internal::DetectFastBits();
}

// With -mpopcnt (__POPCNT__) this is one instruction. Without it GCC would
// call libgcc's table-driven __popcountdi2, which measured ~2x slower in the
// trie walk than this inline SWAR form.
inline int Popcount64(uint64_t x) {
#if defined(__POPCNT__)
  return __builtin_popcountll(x);
#else
#if defined(__x86_64__) && defined(__GNUC__)
  if (FastBits()) {
    uint64_t r;
    __asm__("popcntq %1, %0" : "=r"(r) : "r"(x) : "cc");
    return static_cast<int>(r);
  }
#endif
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
#if defined(__BMI2__)
  if (k >= Popcount64(x)) return 64;
  return static_cast<int>(_tzcnt_u64(_pdep_u64(uint64_t{1} << k, x)));
#else
#if defined(__x86_64__) && defined(__GNUC__)
  if (FastBits()) {
    if (k > 63) return 64;
    uint64_t r;
    // AT&T operand order: pdep mask, source, destination.
    __asm__("pdepq %2, %1, %0" : "=r"(r) : "r"(uint64_t{1} << k), "r"(x));
    return r == 0 ? 64 : __builtin_ctzll(r);
  }
#endif
  if (k >= Popcount64(x)) return 64;
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
