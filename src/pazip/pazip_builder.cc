#include "pazip/pazip_builder.h"

#include <cassert>
#include <cmath>

#include "common/checksum.h"
#include "common/coding.h"
#include "common/mapped_file.h"
#include "pazip/pazip_huffman.h"
#include "pazip/pazip_record_encoder.h"

namespace sctable {
namespace pazip {

std::string EncodeOffsets(const std::vector<uint64_t>& offsets) {
  const uint64_t count = offsets.size();
  const uint64_t nb = (count + kOffsetsPerBlock - 1) / kOffsetsPerBlock;
  std::string entries;
  std::string bits;
  uint64_t acc = 0;
  unsigned nacc = 0;
  uint64_t bit_pos = 0;
  for (uint64_t b = 0; b < nb; ++b) {
    const uint64_t first = b * kOffsetsPerBlock;
    const uint64_t last = std::min(count, first + kOffsetsPerBlock);
    const uint64_t base = offsets[first];
    const uint64_t span = offsets[last - 1] - base;
    unsigned width = span == 0 ? 0 : 64 - __builtin_clzll(span);
    assert(width <= kMaxOffsetWidth);
    PutFixed64(&entries, base);
    PutFixed64(&entries, (bit_pos << 8) | width);
    for (uint64_t k = first + 1; k < last; ++k) {
      const uint64_t v = offsets[k] - base;
      // Append `width` bits LSB-first (width <= 56 fits with nacc < 8).
      acc |= v << nacc;
      nacc += width;
      while (nacc >= 8) {
        bits.push_back(static_cast<char>(acc & 0xff));
        acc >>= 8;
        nacc -= 8;
      }
      bit_pos += width;
    }
  }
  if (nacc > 0) bits.push_back(static_cast<char>(acc & 0xff));
  return entries + bits;
}

PazipBuilder::PazipBuilder(const BuilderOptions& options)
    : options_(options) {}
PazipBuilder::~PazipBuilder() = default;

void PazipBuilder::Add(std::string_view record) {
  assert(!finished_);
  data_.append(record.data(), record.size());
  ends_.push_back(data_.size());
  max_record_len_ = std::max<uint64_t>(max_record_len_, record.size());
}

std::string_view PazipBuilder::Record(uint64_t i) const {
  const uint64_t begin = i == 0 ? 0 : ends_[i - 1];
  return std::string_view(data_).substr(begin, ends_[i] - begin);
}

void PazipBuilder::Assemble(Header* h, std::string_view dict,
                            std::string_view huff, const std::string& payload,
                            const std::vector<uint64_t>& offs,
                            std::string* store) {
  const std::string offsets = EncodeOffsets(offs);
  h->num_records = ends_.size();
  h->raw_bytes = data_.size();
  h->max_record_len = max_record_len_;
  h->record_checksum = static_cast<uint8_t>(options_.record_checksum);
  h->dict_len = dict.size();
  h->huff_len = huff.size();
  h->payload_len = payload.size();
  h->offsets_len = offsets.size();
  h->dict_xxh = Checksum64(dict);
  h->huff_xxh = Checksum64(huff);
  h->payload_xxh = Checksum64(payload);
  h->offsets_xxh = Checksum64(offsets);
  store->clear();
  store->reserve(kHeaderSize + dict.size() + kDictPad + huff.size() +
                 payload.size() + offsets.size() + kOffsetsPad);
  store->resize(kHeaderSize);
  EncodeHeader(*h, &(*store)[0]);
  store->append(dict.data(), dict.size());
  store->append(kDictPad, '\0');
  store->append(huff.data(), huff.size());
  store->append(payload);
  store->append(offsets);
  store->append(kOffsetsPad, '\0');
  stats_.num_records = ends_.size();
  stats_.raw_bytes = data_.size();
  stats_.store_bytes = store->size();
  stats_.dict_bytes = dict.size();
  stats_.payload_bytes = payload.size();
  stats_.offsets_bytes = offsets.size();
  stats_.kind = static_cast<StoreKind>(h->kind);
}

static void AppendRecordChecksum(RecordChecksum level, std::string_view rec,
                                 std::string* out) {
  if (level == RecordChecksum::kXxh32) PutFixed32(out, Checksum32(rec));
}

Status PazipBuilder::BuildRaw(std::string* store) {
  std::string payload(kPayloadFrontPad, '\0');
  payload.reserve(data_.size() + 4 * ends_.size() + 32);
  std::vector<uint64_t> offs;
  offs.reserve(ends_.size() + 1);
  for (uint64_t i = 0; i < ends_.size(); ++i) {
    offs.push_back(payload.size());
    const std::string_view r = Record(i);
    payload.append(r.data(), r.size());
    AppendRecordChecksum(options_.record_checksum, r, &payload);
  }
  offs.push_back(payload.size());
  payload.append(kPayloadBackPad, '\0');
  Header h;
  h.kind = static_cast<uint8_t>(StoreKind::kRaw);
  stats_ = BuildStats();
  Assemble(&h, {}, {}, payload, offs, store);
  return Status::OK();
}

Status PazipBuilder::BuildDictZip(std::string* store) {
  stats_ = BuildStats();
  const uint64_t n = ends_.size();
  std::vector<std::string_view> views(n);
  for (uint64_t i = 0; i < n; ++i) views[i] = Record(i);
  const std::string dict =
      BuildDictionary(views, data_.size(), options_.dictionary);
  DictMatcher matcher(dict);
  RecordEncoder encoder(dict.empty() ? nullptr : &matcher);

  // Pass 1: parse every record; keep tokens and literals.
  std::string tokens, literals;
  std::vector<uint64_t> tok_end(n), lit_end(n);
  for (uint64_t i = 0; i < n; ++i) {
    encoder.Parse(views[i], &tokens, &literals);
    tok_end[i] = tokens.size();
    lit_end[i] = literals.size();
  }
  uint64_t freq[256] = {0};
  for (unsigned char ch : literals) freq[ch]++;
  uint8_t lengths[256];
  BuildHuffmanLengths(freq, lengths);
  uint16_t codes[256];
  CanonicalCodes(lengths, codes);

  // Pass 2: emit each record, coded or verbatim, whichever is smaller.
  std::string payload(kPayloadFrontPad, '\0');
  std::vector<uint64_t> offs;
  offs.reserve(n + 1);
  std::string bitbuf;
  for (uint64_t i = 0; i < n; ++i) {
    offs.push_back(payload.size());
    const std::string_view rec = views[i];
    const uint64_t t0 = i ? tok_end[i - 1] : 0, l0 = i ? lit_end[i - 1] : 0;
    bitbuf.clear();
    BackwardBitWriter bw(&bitbuf);
    uint64_t bits = 0;
    for (uint64_t k = lit_end[i]; k > l0; --k) {
      const unsigned char ch = literals[k - 1];
      bw.Add(codes[ch], lengths[ch]);
      bits += lengths[ch];
    }
    bw.Finish();
    const uint64_t coded_size = (tok_end[i] - t0) + bitbuf.size();
    if (rec.empty() || coded_size >= rec.size()) {
      PutVarint64(&payload, rec.size() << 1);
      payload.append(rec.data(), rec.size());
      stats_.raw_records++;
    } else {
      PutVarint64(&payload, (rec.size() << 1) | 1);
      payload.append(tokens, t0, tok_end[i] - t0);
      payload.append(bitbuf);
      stats_.token_bytes += tok_end[i] - t0;
      stats_.literal_count += lit_end[i] - l0;
      stats_.literal_bits += bits;
    }
    AppendRecordChecksum(options_.record_checksum, rec, &payload);
  }
  offs.push_back(payload.size());
  payload.append(kPayloadBackPad, '\0');
  Header h;
  h.kind = static_cast<uint8_t>(StoreKind::kDictZip);
  h.literal_coding = static_cast<uint8_t>(LiteralCoding::kHuffman);
  const BuildStats keep = stats_;
  Assemble(&h, dict,
           std::string_view(reinterpret_cast<const char*>(lengths), 256),
           payload, offs, store);
  const BuildStats assembled = stats_;
  stats_ = keep;
  stats_.kind = assembled.kind;
  stats_.num_records = assembled.num_records;
  stats_.raw_bytes = assembled.raw_bytes;
  stats_.store_bytes = assembled.store_bytes;
  stats_.dict_bytes = assembled.dict_bytes;
  stats_.payload_bytes = assembled.payload_bytes;
  stats_.offsets_bytes = assembled.offsets_bytes;
  return Status::OK();
}

Status PazipBuilder::Finish(std::string* store) {
  assert(!finished_);
  finished_ = true;
  if (!options_.force_raw && !data_.empty()) {
    SCTABLE_RETURN_IF_ERROR(BuildDictZip(store));
    // Fall back to verbatim records when the dictionary does not pay.
    // A raw store is never smaller than the input itself.
    if (store->size() < data_.size()) return Status::OK();
    std::string raw;
    const BuildStats coded = stats_;
    SCTABLE_RETURN_IF_ERROR(BuildRaw(&raw));
    if (raw.size() < store->size()) {
      store->swap(raw);
    } else {
      stats_ = coded;
    }
    return Status::OK();
  }
  return BuildRaw(store);
}

Status PazipBuilder::FinishToFile(const std::string& path) {
  std::string store;
  SCTABLE_RETURN_IF_ERROR(Finish(&store));
  return WriteFileAtomically(path, store);
}

}  // namespace pazip
}  // namespace sctable
