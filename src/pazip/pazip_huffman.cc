// Length-limited Huffman: plain Huffman by repeated merging, and if the
// longest code exceeds kHuffMaxBits, halve every count (keeping used symbols
// non-zero) and retry. Costs a few hundredths of a bit per literal against
// an optimal length-limited code on the data we measured, and is short.
#include "pazip/pazip_huffman.h"

#include <algorithm>
#include <queue>
#include <vector>

namespace sctable {
namespace pazip {
namespace {

void PlainHuffman(const uint64_t* freq, uint8_t* lengths, unsigned nsym) {
  struct Node {
    uint64_t weight;
    int index;
  };
  auto cmp = [](const Node& a, const Node& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.index > b.index;
  };
  std::priority_queue<Node, std::vector<Node>, decltype(cmp)> heap(cmp);
  std::vector<int> parent(512, -1);
  int next = 256;
  for (int s = 0; s < static_cast<int>(nsym); ++s) {
    lengths[s] = 0;
    if (freq[s] > 0) heap.push({freq[s], s});
  }
  while (heap.size() > 1) {
    Node a = heap.top();
    heap.pop();
    Node b = heap.top();
    heap.pop();
    parent[a.index] = next;
    parent[b.index] = next;
    heap.push({a.weight + b.weight, next});
    ++next;
  }
  for (int s = 0; s < static_cast<int>(nsym); ++s) {
    if (freq[s] == 0) continue;
    int depth = 0;
    for (int p = parent[s]; p != -1; p = parent[p]) ++depth;
    lengths[s] = static_cast<uint8_t>(depth);
  }
}

}  // namespace

void BuildHuffmanLengths(const uint64_t* freq_in, uint8_t* lengths,
                         unsigned nsym) {
  uint64_t freq[256];
  int used = 0;
  for (int s = 0; s < static_cast<int>(nsym); ++s) {
    freq[s] = freq_in[s];
    used += freq[s] > 0;
  }
  // At least two symbols, so every code has length >= 1 and is complete.
  for (int s = 0; used < 2 && s < static_cast<int>(nsym); ++s) {
    if (freq[s] == 0) {
      freq[s] = 1;
      ++used;
    }
  }
  for (;;) {
    PlainHuffman(freq, lengths, nsym);
    uint8_t max_len = *std::max_element(lengths, lengths + nsym);
    if (max_len <= kHuffMaxBits) return;
    for (int s = 0; s < static_cast<int>(nsym); ++s) {
      if (freq[s] > 0) freq[s] = (freq[s] + 1) / 2;
    }
  }
}

void CanonicalCodes(const uint8_t* lengths, uint16_t* codes, unsigned nsym) {
  unsigned count[kHuffMaxBits + 2] = {0};
  for (unsigned s = 0; s < nsym; ++s) count[lengths[s]]++;
  count[0] = 0;
  unsigned next[kHuffMaxBits + 2] = {0};
  unsigned code = 0;
  for (unsigned len = 1; len <= kHuffMaxBits; ++len) {
    code = (code + count[len - 1]) << 1;
    next[len] = code;
  }
  for (unsigned s = 0; s < nsym; ++s) {
    codes[s] = lengths[s] ? static_cast<uint16_t>(next[lengths[s]]++) : 0;
  }
}

namespace {
unsigned Reverse(unsigned code, unsigned len) {
  unsigned r = 0;
  for (unsigned i = 0; i < len; ++i) r |= ((code >> i) & 1u) << (len - 1 - i);
  return r;
}
}  // namespace

void ReversedCodes(const uint8_t* lengths, uint16_t* codes, unsigned nsym) {
  CanonicalCodes(lengths, codes, nsym);
  for (unsigned s = 0; s < nsym; ++s) {
    codes[s] = static_cast<uint16_t>(Reverse(codes[s], lengths[s]));
  }
}

Status BuildHuffmanTable(const uint8_t* lengths, HuffmanTable* table,
                         unsigned nsym, bool lsb_first, unsigned valid) {
  uint64_t kraft = 0;  // in units of 2^-kHuffMaxBits
  if (nsym > 256) return Status::InvalidArgument("pazip huff: alphabet");
  for (unsigned s = 0; s < nsym; ++s) {
    if (lengths[s] > kHuffMaxBits) {
      return Status::Corruption("pazip huff: code length too long");
    }
    if (lengths[s] && s >= valid) {
      return Status::Corruption("pazip huff: code for an invalid symbol");
    }
    if (lengths[s]) kraft += 1ull << (kHuffMaxBits - lengths[s]);
  }
  if (kraft != (1ull << kHuffMaxBits)) {
    return Status::Corruption("pazip huff: code lengths are not complete");
  }
  uint16_t codes[256];
  CanonicalCodes(lengths, codes, nsym);
  for (unsigned s = 0; s < nsym; ++s) {
    const unsigned len = lengths[s];
    if (!len) continue;
    const unsigned shift = kHuffMaxBits - len;
    if (lsb_first) {
      const unsigned rev = Reverse(codes[s], len);
      for (unsigned i = 0; i < (1u << shift); ++i) {
        table->entry[rev | (i << len)] = static_cast<uint16_t>(s | (len << 8));
      }
      continue;
    }
    const unsigned first = static_cast<unsigned>(codes[s]) << shift;
    for (unsigned i = 0; i < (1u << shift); ++i) {
      table->entry[first + i] = static_cast<uint16_t>(s | (len << 8));
    }
  }
  return Status::OK();
}

}  // namespace pazip
}  // namespace sctable
