#include "pazip/pazip_builder.h"

#include <cassert>
#include <cmath>
#include <thread>

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

void PazipBuilder::Assemble(const Records& records, Header* h,
                            std::string_view dict, std::string_view huff,
                            const std::string& payload,
                            const std::vector<uint64_t>& offs,
                            std::string* store) {
  const std::string offsets = EncodeOffsets(offs);
  h->num_records = records.size();
  h->raw_bytes = raw_bytes_;
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
  stats_.num_records = records.size();
  stats_.raw_bytes = raw_bytes_;
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

Status PazipBuilder::BuildRaw(const Records& records, std::string* store) {
  std::string payload(kPayloadFrontPad, '\0');
  payload.reserve(raw_bytes_ + 4 * records.size() + 32);
  std::vector<uint64_t> offs;
  offs.reserve(records.size() + 1);
  for (const std::string_view r : records) {
    offs.push_back(payload.size());
    payload.append(r.data(), r.size());
    AppendRecordChecksum(options_.record_checksum, r, &payload);
  }
  offs.push_back(payload.size());
  payload.append(kPayloadBackPad, '\0');
  Header h;
  h.kind = static_cast<uint8_t>(StoreKind::kRaw);
  stats_ = BuildStats();
  Assemble(records, &h, {}, {}, payload, offs, store);
  return Status::OK();
}

namespace {

// The parse of a contiguous range of records, made by one thread.
struct ParsedChunk {
  uint64_t first = 0, last = 0;       // records [first, last)
  std::string tokens, literals;
  std::vector<uint64_t> tok_len, lit_len;  // per record
};

void ParseChunk(const DictMatcher* matcher,
                const std::vector<std::string_view>& records,
                ParsedChunk* c) {
  RecordEncoder encoder(matcher);
  c->tok_len.reserve(c->last - c->first);
  c->lit_len.reserve(c->last - c->first);
  for (uint64_t i = c->first; i < c->last; ++i) {
    const size_t t0 = c->tokens.size(), l0 = c->literals.size();
    encoder.Parse(records[i], &c->tokens, &c->literals);
    c->tok_len.push_back(c->tokens.size() - t0);
    c->lit_len.push_back(c->literals.size() - l0);
  }
}

}  // namespace

Status PazipBuilder::BuildDictZip(const Records& records, std::string* store) {
  stats_ = BuildStats();
  const uint64_t n = records.size();
  const std::string dict =
      BuildDictionary(records, raw_bytes_, options_.dictionary);
  DictMatcher matcher(dict);

  // Pass 1: parse every record; keep tokens and literals. Records are
  // independent, so contiguous chunks (balanced by bytes) go to threads.
  const int threads = std::max(1, std::min<int>(options_.threads, 16));
  std::vector<ParsedChunk> chunks(threads);
  {
    uint64_t i = 0, acc = 0;
    for (int t = 0; t < threads; ++t) {
      chunks[t].first = i;
      const uint64_t goal = raw_bytes_ / threads * (t + 1);
      while (i < n && (t == threads - 1 || acc < goal)) acc += records[i++].size();
      chunks[t].last = i;
    }
    std::vector<std::thread> workers;
    for (int t = 1; t < threads; ++t) {
      workers.emplace_back(ParseChunk, dict.empty() ? nullptr : &matcher,
                           std::cref(records), &chunks[t]);
    }
    ParseChunk(dict.empty() ? nullptr : &matcher, records, &chunks[0]);
    for (auto& w : workers) w.join();
  }
  uint64_t freq[256] = {0};
  for (const ParsedChunk& c : chunks) {
    for (unsigned char ch : c.literals) freq[ch]++;
  }
  uint8_t lengths[256];
  BuildHuffmanLengths(freq, lengths);
  uint16_t codes[256];
  CanonicalCodes(lengths, codes);

  // Pass 2: emit each record, coded or verbatim, whichever is smaller.
  std::string payload(kPayloadFrontPad, '\0');
  std::vector<uint64_t> offs;
  offs.reserve(n + 1);
  std::string bitbuf;
  for (const ParsedChunk& c : chunks) {
    uint64_t t0 = 0, l0 = 0;
    for (uint64_t i = c.first; i < c.last; ++i) {
      offs.push_back(payload.size());
      const std::string_view rec = records[i];
      const uint64_t tl = c.tok_len[i - c.first], ll = c.lit_len[i - c.first];
      bitbuf.clear();
      BackwardBitWriter bw(&bitbuf);
      uint64_t bits = 0;
      for (uint64_t k = l0 + ll; k > l0; --k) {
        const unsigned char ch = c.literals[k - 1];
        bw.Add(codes[ch], lengths[ch]);
        bits += lengths[ch];
      }
      bw.Finish();
      const uint64_t coded_size = tl + bitbuf.size();
      if (rec.empty() || coded_size >= rec.size()) {
        PutVarint64(&payload, rec.size() << 1);
        payload.append(rec.data(), rec.size());
        stats_.raw_records++;
      } else {
        PutVarint64(&payload, (rec.size() << 1) | 1);
        payload.append(c.tokens, t0, tl);
        payload.append(bitbuf);
        stats_.token_bytes += tl;
        stats_.literal_count += ll;
        stats_.literal_bits += bits;
      }
      AppendRecordChecksum(options_.record_checksum, rec, &payload);
      t0 += tl;
      l0 += ll;
    }
  }
  offs.push_back(payload.size());
  payload.append(kPayloadBackPad, '\0');
  Header h;
  h.kind = static_cast<uint8_t>(StoreKind::kDictZip);
  h.literal_coding = static_cast<uint8_t>(LiteralCoding::kHuffman);
  const BuildStats keep = stats_;
  Assemble(records, &h, dict,
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

Status PazipBuilder::FinishRecords(const Records& records, uint64_t raw_bytes,
                                   uint64_t max_record_len,
                                   std::string* store) {
  raw_bytes_ = raw_bytes;
  max_record_len_ = max_record_len;
  if (!options_.force_raw && raw_bytes > 0) {
    SCTABLE_RETURN_IF_ERROR(BuildDictZip(records, store));
    // Fall back to verbatim records when the dictionary does not pay.
    // A raw store is never smaller than the input itself.
    if (store->size() < raw_bytes) return Status::OK();
    std::string raw;
    const BuildStats coded = stats_;
    SCTABLE_RETURN_IF_ERROR(BuildRaw(records, &raw));
    if (raw.size() < store->size()) {
      store->swap(raw);
    } else {
      stats_ = coded;
    }
    return Status::OK();
  }
  return BuildRaw(records, store);
}

Status PazipBuilder::Finish(std::string* store) {
  assert(!finished_);
  finished_ = true;
  Records records(ends_.size());
  for (uint64_t i = 0; i < ends_.size(); ++i) {
    const uint64_t begin = i == 0 ? 0 : ends_[i - 1];
    records[i] = std::string_view(data_).substr(begin, ends_[i] - begin);
  }
  return FinishRecords(records, data_.size(), max_record_len_, store);
}

Status PazipBuilder::Build(const std::vector<std::string_view>& records,
                           const BuilderOptions& options, std::string* store,
                           BuildStats* stats) {
  uint64_t raw = 0, max_len = 0;
  for (const std::string_view r : records) {
    raw += r.size();
    max_len = std::max<uint64_t>(max_len, r.size());
  }
  PazipBuilder builder(options);
  builder.finished_ = true;
  SCTABLE_RETURN_IF_ERROR(builder.FinishRecords(records, raw, max_len, store));
  if (stats != nullptr) *stats = builder.stats_;
  return Status::OK();
}

Status PazipBuilder::FinishToFile(const std::string& path) {
  std::string store;
  SCTABLE_RETURN_IF_ERROR(Finish(&store));
  return WriteFileAtomically(path, store);
}

}  // namespace pazip
}  // namespace sctable
