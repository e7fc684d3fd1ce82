// Global static canonical Huffman code over literal bytes (PA-Zip's entropy
// stage). The builder counts literals of all records, derives code lengths
// limited to kHuffMaxBits, and stores the 256 lengths; the reader rebuilds a
// 2^kHuffMaxBits-entry lookup table from them at open (O(1) in records).
//
// Bit stream (docs/format.md "Literal stream"): codes are written so that a
// reader starting at the stream's last byte and moving towards its first
// reads them MSB-first; the last byte holds a sentinel 1 bit above the data.
// This lets a record put its tokens first and its literal bits last without
// storing where one ends and the other begins.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "pazip/pazip_format.h"

namespace sctable {
namespace pazip {

// Code lengths (0 = unused) for `freq`, each <= kHuffMaxBits. Always yields a
// complete code over at least two symbols (unused symbols get a tiny count
// added when fewer than two are present), so the decoder can insist on it.
// `nsym` (<= 256) is the alphabet size: literals use 256, the sequence
// fields (LL/ML/OF) kSeqSymbols.
void BuildHuffmanLengths(const uint64_t* freq, uint8_t* lengths,
                         unsigned nsym = 256);

// Canonical codes for `lengths` (MSB-first values).
void CanonicalCodes(const uint8_t* lengths, uint16_t* codes,
                    unsigned nsym = 256);

// The same codes bit-reversed, for streams read LSB-first (the forward
// sequence stream): the code's first bit is bit 0.
void ReversedCodes(const uint8_t* lengths, uint16_t* codes,
                   unsigned nsym = 256);

// Decoder table entry: symbol in bits 0..7, code length in bits 8..11.
struct HuffmanTable {
  uint16_t entry[1u << kHuffMaxBits];
};

// Builds `table` from untrusted `lengths`; Corruption unless the lengths form
// a complete prefix code with every length <= kHuffMaxBits and no symbol at
// or above `valid` (< nsym) has a code. `lsb_first`: the table is indexed by
// the next kHuffMaxBits stream bits read LSB-first (forward stream), else by
// the next bits MSB-first (backward literal stream).
Status BuildHuffmanTable(const uint8_t* lengths, HuffmanTable* table,
                         unsigned nsym = 256, bool lsb_first = false,
                         unsigned valid = 256);

// Appends codes LSB-first into a growing bit buffer; see file comment.
// REQUIRES: nbits <= 56 per Add.
class BackwardBitWriter {
 public:
  explicit BackwardBitWriter(std::string* out) : out_(out) {}
  void Add(uint64_t value, unsigned nbits) {
    acc_ |= value << nacc_;
    nacc_ += nbits;
    while (nacc_ >= 8) {
      out_->push_back(static_cast<char>(acc_ & 0xff));
      acc_ >>= 8;
      nacc_ -= 8;
    }
  }
  // Flushes the final partial byte (zero-padded), no sentinel: the forward
  // sequence stream.
  void Flush() {
    if (nacc_ > 0) out_->push_back(static_cast<char>(acc_ & 0xff));
    acc_ = 0;
    nacc_ = 0;
  }
  // Writes the sentinel bit and flushes the final partial byte.
  void Finish() {
    Add(1, 1);
    if (nacc_ > 0) out_->push_back(static_cast<char>(acc_ & 0xff));
    acc_ = 0;
    nacc_ = 0;
  }

 private:
  std::string* out_;
  uint64_t acc_ = 0;
  unsigned nacc_ = 0;
};

}  // namespace pazip
}  // namespace sctable
