// The PA-Zip record decoder: turns one stored record back into its bytes.
// This is the code that runs on every read and the one that is fuzzed, so it
// is kept small and treats its input as hostile: every read is bounded by the
// record, every match is checked against the dictionary or the output, the
// output never exceeds the declared length, and any inconsistency returns
// false (the reader turns that into Corruption).
//
// Record grammar (docs/format.md "Record encoding", format version 2):
//   record  := varint(raw_len << 1 | coded) body
//   body    := raw_bytes[raw_len]                       if coded == 0
//            | seq_stream literal_stream                 if coded == 1
//   seq_stream: forward LSB-first bit stream of sequences, each
//            LL [ML OF] as Huffman symbol + extra bits (pazip_format.h),
//            zero-padded to a byte;
//   literal_stream: backward Huffman bit stream (pazip_huffman.h) holding all
//            literal bytes of the record in order, ending with a sentinel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pazip/pazip_huffman.h"

namespace sctable {
namespace pazip {

// What a record is decoded against. Borrowed; must outlive the decode.
// REQUIRES: dict has kDictPad readable bytes after dict_len; records passed
// in lie in a payload with kPayloadFrontPad readable bytes before the first
// record and kPayloadBackPad after the last.
// The global code tables of a kDictZip store: literals (MSB-first, read
// backward) and the LL/ML/OF fields (LSB-first, read forward).
struct CodeTables {
  // Literal entries: symbol (bits 0..7), length (8..11), the context the
  // symbol selects for the next literal (12..13).
  HuffmanTable lit[kLitContexts];
  // Derived from `lit`: per context, up to two literals per lookup (zstd's
  // "X2" idea): bytes in bits 0..15, bits consumed in 16..20, literal count
  // (1 or 2) in 21..22, the first code's length in 24..27, the context
  // after the literals in 30..31. A pair is stored only when both codes lie
  // inside the kHuffMaxBits peeked. The decoder reads only this table for
  // literals.
  uint32_t lit2[kLitContexts][1u << kHuffMaxBits];
  HuffmanTable ll, ml, of;
  // Derived from ll and ml: an LL code with no extra bits and the ML code
  // after it, in one lookup when both fit the kHuffMaxBits peeked: LL
  // symbol in bits 0..7, ML symbol in 8..15, LL code length in 16..19, ML
  // code length in 20..23 (0: no pair, read ML on its own).
  uint32_t llml[1u << kHuffMaxBits];
  uint8_t lit_context[256];  // previous byte -> literal table
};

// Builds *t from the store's table section (kTablesLen bytes, untrusted):
// Corruption unless every code is complete and codes only valid symbols.
Status BuildCodeTables(const uint8_t* lengths, CodeTables* t);

struct DecodeContext {
  const char* dict = nullptr;
  uint64_t dict_len = 0;
  const CodeTables* tables = nullptr;  // null for kRaw stores
};

// Parses the record header of [begin, end): sets *raw_len and *coded and
// returns the body start, or nullptr if the header is malformed.
const char* ParseRecordHeader(const char* begin, const char* end,
                              uint64_t* raw_len, bool* coded);

// Decodes the body [body, end) of a record whose header said raw_len/coded
// into out[0, raw_len). `key` is the record's key in a keyed store (empty
// otherwise): local matches may copy from its end, as if it preceded the
// record. Returns false on any inconsistency; `out` may then hold garbage
// but nothing outside it was written. `key` must not overlap `out`.
bool DecodeRecordBody(const DecodeContext& ctx, const char* body,
                      const char* end, uint64_t raw_len, bool coded,
                      std::string_view key, char* out);

}  // namespace pazip
}  // namespace sctable
