#include "pazip/pazip_builder.h"

#include <cassert>
#include <atomic>
#include <cmath>
#include <cstring>
#include <memory>
#include <thread>

#include "common/checksum.h"
#include "common/coding.h"
#include "common/mapped_file.h"
#include "pazip/pazip_huffman.h"
#include "pazip/pazip_record_encoder.h"

namespace sctable {
namespace pazip {
namespace {
// Statistics passes (parse a sample, derive prices) before the full parse,
// and the sample: every kStatsStride-th record. fast_parse (the RocksDB
// write path) makes one pass over every kFastStatsStride-th record and
// keeps the dictionary in sample order, which saves a second matcher
// build. Measured on the Debian index and 1 M npm URLs, fast parse, against
// two passes over every 8th record with reordering: bytes +0.14% and
// -0.004%; the price work drops from 25% of the full parse to 6%.
constexpr int kStatsPasses = 2;
constexpr uint64_t kStatsStride = 8;
constexpr int kFastStatsPasses = 1;
constexpr uint64_t kFastStatsStride = 16;
}  // namespace

std::string EncodeOffsets(const std::vector<uint64_t>& offsets) {
  const uint64_t count = offsets.size();
  const uint64_t nb = (count + kOffsetsPerBlock - 1) / kOffsetsPerBlock;
  std::string entries;
  std::string bits;
  uint64_t acc = 0;
  unsigned nacc = 0;
  uint64_t bit_pos = 0;
  // Appends the low `width` bits of v, LSB-first (width <= 56 fits with
  // nacc < 8).
  auto put = [&](uint64_t v, unsigned width) {
    if (width == 0) return;
    acc |= (v & ((uint64_t{1} << width) - 1)) << nacc;
    nacc += width;
    while (nacc >= 8) {
      bits.push_back(static_cast<char>(acc & 0xff));
      acc >>= 8;
      nacc -= 8;
    }
    bit_pos += width;
  };
  for (uint64_t b = 0; b < nb; ++b) {
    const uint64_t first = b * kOffsetsPerBlock;
    const uint64_t last = std::min(count, first + kOffsetsPerBlock);
    const uint64_t base = offsets[first];
    const uint64_t m = last - first - 1;  // values v_1..v_m after the base
    const uint64_t span = offsets[last - 1] - base;
    // Elias-Fano: L low bits each, then m ones and span >> L zeros; the L
    // with the fewest bits.
    unsigned low = 0;
    uint64_t best = ~uint64_t{0};
    for (unsigned l = 0; l <= kMaxOffsetWidth; ++l) {
      const uint64_t cost = m * l + (span >> l);
      if (cost < best) { best = cost; low = l; }
    }
    PutFixed64(&entries, base);
    PutFixed64(&entries, (bit_pos << 8) | low);
    for (uint64_t k = first + 1; k < last; ++k) put(offsets[k] - base, low);
    uint64_t high_prev = 0;
    for (uint64_t k = first + 1; k < last; ++k) {
      const uint64_t high = (offsets[k] - base) >> low;
      for (uint64_t z = high - high_prev; z > 0;) {  // zeros, then a one
        const unsigned w = static_cast<unsigned>(std::min<uint64_t>(z, 56));
        put(0, w);
        z -= w;
      }
      put(1, 1);
      high_prev = high;
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

// The parse of one block of records.
struct ParsedBlock {
  uint64_t first = 0, last = 0;       // records [first, last)
  std::string seqs, literals;
  std::vector<uint64_t> seq_len, lit_len;  // per record
};

// What one thread counted over the blocks it parsed.
struct ParseTally {
  SymbolCounts counts;
  std::vector<uint32_t> hits;  // dictionary matches per 2^kHitShift bytes of it
};

// Work is cut into blocks of contiguous records of about `block_bytes` each
// (boundaries depend only on the record sizes), which threads claim one at a
// time: records differ in cost per byte, and in a compaction other threads
// take the cores unevenly, so one fixed chunk per thread (rounds 1-6) left
// one thread idle for up to a quarter of the parse.
std::vector<ParsedBlock> WorkBlocks(const std::vector<std::string_view>& records,
                                    uint64_t block_bytes) {
  std::vector<ParsedBlock> blocks;
  const uint64_t n = records.size();
  for (uint64_t i = 0; i < n;) {
    ParsedBlock b;
    b.first = i;
    uint64_t acc = 0;
    while (i < n && (acc < block_bytes || i == b.first)) acc += records[i++].size();
    b.last = i;
    blocks.push_back(std::move(b));
  }
  return blocks;
}

// Runs fn(block, thread) for every block in [0, num_blocks), blocks claimed
// in order by up to `threads` threads (the calling one is thread 0).
template <typename Fn>
void ForEachBlock(size_t num_blocks, int threads, const Fn& fn) {
  std::atomic<size_t> next{0};
  auto work = [&](int t) {
    for (size_t k; (k = next.fetch_add(1, std::memory_order_relaxed)) < num_blocks;) {
      fn(k, t);
    }
  };
  const int used = static_cast<int>(
      std::min<size_t>(static_cast<size_t>(threads), std::max<size_t>(num_blocks, 1)));
  std::vector<std::thread> workers;
  for (int t = 1; t < used; ++t) workers.emplace_back(work, t);
  work(0);
  for (auto& w : workers) w.join();
}

// Parses, in every block, the records whose id is a multiple of `stride`; a
// statistics pass (`keep` false) keeps only the counts. The threads' counts
// (and, with hit_blocks, dictionary hits) are summed into *counts and *hits,
// so neither depends on which thread parsed what.
void ParseAll(const DictMatcher* matcher, bool fast,
              const std::vector<std::string_view>& records,
              const std::vector<std::string_view>* keys, int threads,
              const Prices& prices, uint64_t stride, bool keep,
              uint64_t hit_blocks, std::vector<ParsedBlock>* blocks,
              SymbolCounts* counts, std::vector<uint64_t>* hits) {
  std::vector<ParseTally> tallies(threads);
  std::vector<std::unique_ptr<RecordEncoder>> encoders(threads);
  ForEachBlock(blocks->size(), threads, [&](size_t k, int t) {
    ParsedBlock* c = &(*blocks)[k];
    ParseTally* tally = &tallies[t];
    if (encoders[t] == nullptr) {
      encoders[t] = std::make_unique<RecordEncoder>(matcher, fast);
      if (hit_blocks) tally->hits.assign(hit_blocks, 0);
    }
    RecordEncoder& encoder = *encoders[t];
    if (keep) {
      c->seq_len.reserve(c->last - c->first);
      c->lit_len.reserve(c->last - c->first);
    }
    std::string seqs, lits;
    for (uint64_t i = c->first; i < c->last; ++i) {
      if (i % stride != 0) continue;
      if (records[i].size() > kMaxSeqValue) {  // stored verbatim
        if (keep) {
          c->seq_len.push_back(0);
          c->lit_len.push_back(0);
        }
        continue;
      }
      std::string* sq = keep ? &c->seqs : &seqs;
      std::string* lt = keep ? &c->literals : &lits;
      const size_t t0 = sq->size(), l0 = lt->size();
      encoder.Parse(records[i], keys ? (*keys)[i] : std::string_view(),
                    prices, sq, lt, &tally->counts,
                    hit_blocks ? &tally->hits : nullptr);
      if (keep) {
        c->seq_len.push_back(sq->size() - t0);
        c->lit_len.push_back(lt->size() - l0);
      } else {
        seqs.clear();
        lits.clear();
      }
    }
  });
  *counts = SymbolCounts();
  hits->assign(hit_blocks, 0);
  for (const ParseTally& tally : tallies) {
    counts->Add(tally.counts);
    for (uint64_t b = 0; b < tally.hits.size(); ++b) (*hits)[b] += tally.hits[b];
  }
}

// One global Huffman code: lengths, and codes in the stream's bit order.
struct Code {
  uint8_t len[256] = {0};
  uint16_t code[256] = {0};
};

// Emits the records of one parsed block, each coded or verbatim, whichever
// is smaller: *payload gets their bytes, *offs their starts relative to
// *payload, *st the counts. Blocks are independent, so threads emit them in
// any order and the pieces are concatenated in block order.
void EmitBlock(const ParsedBlock& c,
               const std::vector<std::string_view>& records,
               const Code* lit, const uint8_t* lit_context, const Code& ll,
               const Code& ml, const Code& of, RecordChecksum checksum,
               std::string* payload, std::vector<uint64_t>* offs,
               BuildStats* st) {
  std::string seqbuf, bitbuf;
  std::vector<uint32_t> lit_codes;  // code << 8 | length, in record order
  uint64_t t0 = 0;
  for (uint64_t i = c.first; i < c.last; ++i) {
    offs->push_back(payload->size());
    const std::string_view rec = records[i];
    const uint64_t tl = c.seq_len[i - c.first], ll_bytes = c.lit_len[i - c.first];
    seqbuf.clear();
    lit_codes.clear();
    {
      uint64_t pos = 0;  // in the record, to find each literal's context
      auto add_literals = [&](uint64_t count) {
        for (uint64_t k = pos; k < pos + count; ++k) {
          const unsigned prev = k ? static_cast<uint8_t>(rec[k - 1]) : 0;
          const Code& cd = lit[lit_context[prev]];
          const unsigned ch = static_cast<uint8_t>(rec[k]);
          lit_codes.push_back(static_cast<uint32_t>(cd.code[ch]) << 8 | cd.len[ch]);
        }
        pos += count;
      };
      BackwardBitWriter fw(&seqbuf);  // LSB-first, read forward
      const char* p = c.seqs.data() + t0;
      const char* const pend = p + tl;
      unsigned nb;
      while (p < pend) {
        uint64_t l = 0, len = 0, ofv = 0;
        p = GetVarint64Ptr(p, pend, &l);
        p = GetVarint64Ptr(p, pend, &len);
        unsigned sym = LLSymbol(l, &nb);
        st->ll_bits += ll.len[sym] + nb;
        st->sequences++;
        fw.Add(ll.code[sym], ll.len[sym]);
        fw.Add(nb ? l - (1ull << nb) : 0, nb);
        add_literals(l);
        if (len == 0) break;
        pos += len;
        p = GetVarint64Ptr(p, pend, &ofv);
        sym = MLSymbol(len - kMinMatch, &nb);
        st->ml_bits += ml.len[sym] + nb;
        fw.Add(ml.code[sym], ml.len[sym]);
        fw.Add(nb ? len - kMinMatch - (1ull << nb) : 0, nb);
        sym = OFSymbolOf(ofv, &nb);
        st->of_bits += of.len[sym] + nb;
        if (sym == 0) st->repeat_matches++;
        fw.Add(of.code[sym], of.len[sym]);
        fw.Add(OFExtraOf(ofv, nb), nb);
        if ((ofv & 3) == 1) {
          st->local_matches++;
        } else {
          st->dict_matches++;
        }
      }
      fw.Flush();
    }
    bitbuf.clear();
    BackwardBitWriter bw(&bitbuf);
    uint64_t bits = 0;
    for (size_t k = lit_codes.size(); k > 0; --k) {
      const uint32_t e = lit_codes[k - 1];
      bw.Add(e >> 8, e & 0xff);
      bits += e & 0xff;
    }
    bw.Finish();
    const uint64_t coded_size = seqbuf.size() + bitbuf.size();
    if (rec.empty() || rec.size() > kMaxSeqValue || coded_size >= rec.size()) {
      PutVarint64(payload, rec.size() << 1);
      payload->append(rec.data(), rec.size());
      st->raw_records++;
    } else {
      PutVarint64(payload, (rec.size() << 1) | 1);
      payload->append(seqbuf);
      payload->append(bitbuf);
      st->token_bytes += seqbuf.size();
      st->literal_count += ll_bytes;
      st->literal_bits += bits;
    }
    AppendRecordChecksum(checksum, rec, payload);
    t0 += tl;
  }
}

}  // namespace

Status PazipBuilder::BuildDictZip(const Records& records, std::string* store) {
  stats_ = BuildStats();
  const uint64_t n = records.size();
  std::vector<uint64_t> sample_ends;
  std::string dict =
      BuildDictionary(records, raw_bytes_, options_.dictionary, &sample_ends);
  auto matcher = std::make_unique<DictMatcher>(dict);
  const DictMatcher* m = dict.empty() ? nullptr : matcher.get();
  const int threads = std::max(1, std::min<int>(options_.threads, 16));

  // Statistics passes over a sample of the records: parse with the current
  // prices, derive prices from the symbols that parse used, repeat; then the
  // full parse with those prices. Records are independent, so contiguous
  // blocks go to threads; the output does not depend on the thread count.
  Prices prices = Prices::Default();
  std::vector<ParsedBlock> blocks =
      WorkBlocks(records, std::max<uint64_t>(options_.work_block_bytes, 1));
  SymbolCounts counts;
  std::vector<uint64_t> hits;
  const bool fast = options_.fast_parse;
  const uint64_t stride = n < 256 ? 1 : fast ? kFastStatsStride : kStatsStride;
  // After the first pass (not with fast_parse) the dictionary's samples are
  // reordered by use, so popular bytes get short absolute offsets
  // (ReorderDictionary).
  for (int pass = 0; pass < (fast ? kFastStatsPasses : kStatsPasses); ++pass) {
    const uint64_t hit_blocks =
        pass == 0 && m != nullptr && !fast
            ? (dict.size() >> RecordEncoder::kHitShift) + 1 : 0;
    ParseAll(m, fast, records, keys_, threads, prices, stride, false,
             hit_blocks, &blocks, &counts, &hits);
    prices = Prices::FromCounts(counts);
    if (hit_blocks) {
      dict = ReorderDictionary(dict, &sample_ends, hits, RecordEncoder::kHitShift);
      matcher = std::make_unique<DictMatcher>(dict);
      m = matcher.get();
    }
  }
  ParseAll(m, fast, records, keys_, threads, prices, 1, true, 0, &blocks,
           &counts, &hits);

  // The global tables: literals (read backward, MSB-first codes) and the
  // three sequence fields (read forward, LSB-first codes).
  std::string tables(kTablesLen, '\0');
  Code lit[kLitContexts], ll, ml, of;
  uint8_t lit_context[256];
  ChooseLiteralContexts(counts.lit, lit_context);
  std::memcpy(&tables[0], lit_context, 256);
  for (unsigned k = 0; k < kLitContexts; ++k) {
    uint64_t freq[256] = {0};
    for (unsigned prev = 0; prev < 256; ++prev) {
      if (lit_context[prev] != k) continue;
      for (unsigned b = 0; b < 256; ++b) freq[b] += counts.lit[prev * 256 + b];
    }
    BuildHuffmanLengths(freq, lit[k].len, 256);
    CanonicalCodes(lit[k].len, lit[k].code, 256);
    std::memcpy(&tables[kLitTablesOffset + 256 * k], lit[k].len, 256);
  }
  BuildHuffmanLengths(counts.ll, ll.len, kSeqSymbols);
  ReversedCodes(ll.len, ll.code, kSeqSymbols);
  BuildHuffmanLengths(counts.ml, ml.len, kSeqSymbols);
  ReversedCodes(ml.len, ml.code, kSeqSymbols);
  BuildHuffmanLengths(counts.of, of.len, kSeqSymbols);
  ReversedCodes(of.len, of.code, kSeqSymbols);
  std::memcpy(&tables[kSeqTablesOffset], ll.len, kSeqSymbols);
  std::memcpy(&tables[kSeqTablesOffset + kSeqSymbols], ml.len, kSeqSymbols);
  std::memcpy(&tables[kSeqTablesOffset + 2 * kSeqSymbols], of.len, kSeqSymbols);

  // Pass 2: emit the blocks, claimed by the threads as in the parse; a
  // block's parse output is freed once it is coded.
  std::vector<std::string> pieces(blocks.size());
  std::vector<std::vector<uint64_t>> piece_offs(blocks.size());
  std::vector<BuildStats> piece_stats(blocks.size());
  ForEachBlock(blocks.size(), threads, [&](size_t k, int) {
    EmitBlock(blocks[k], records, lit, lit_context, ll, ml, of,
              options_.record_checksum, &pieces[k], &piece_offs[k],
              &piece_stats[k]);
    blocks[k] = ParsedBlock();
  });
  std::string payload(kPayloadFrontPad, '\0');
  std::vector<uint64_t> offs;
  offs.reserve(n + 1);
  uint64_t total = payload.size();
  for (const std::string& piece : pieces) total += piece.size();
  payload.reserve(total + kPayloadBackPad);
  for (size_t k = 0; k < blocks.size(); ++k) {
    const uint64_t base = payload.size();
    for (const uint64_t o : piece_offs[k]) offs.push_back(base + o);
    payload.append(pieces[k]);
    std::string().swap(pieces[k]);
    const BuildStats& ps = piece_stats[k];
    stats_.token_bytes += ps.token_bytes;
    stats_.sequences += ps.sequences;
    stats_.ll_bits += ps.ll_bits;
    stats_.ml_bits += ps.ml_bits;
    stats_.of_bits += ps.of_bits;
    stats_.repeat_matches += ps.repeat_matches;
    stats_.literal_count += ps.literal_count;
    stats_.literal_bits += ps.literal_bits;
    stats_.dict_matches += ps.dict_matches;
    stats_.local_matches += ps.local_matches;
    stats_.raw_records += ps.raw_records;
  }
  offs.push_back(payload.size());
  payload.append(kPayloadBackPad, '\0');
  Header h;
  h.kind = static_cast<uint8_t>(StoreKind::kDictZip);
  h.literal_coding = static_cast<uint8_t>(LiteralCoding::kHuffman);
  if (keys_ != nullptr) {
    h.version = kFormatVersion;
    h.flags = kFlagKeyed;
  }
  const BuildStats keep = stats_;
  Assemble(records, &h, dict, tables, payload, offs, store);
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
  static const std::vector<std::string_view> kNoKeys;
  return Build(records, kNoKeys, options, store, stats);
}

Status PazipBuilder::Build(const std::vector<std::string_view>& records,
                           const std::vector<std::string_view>& keys,
                           const BuilderOptions& options, std::string* store,
                           BuildStats* stats) {
  if (!keys.empty() && keys.size() != records.size()) {
    return Status::InvalidArgument("pazip: " + std::to_string(keys.size()) +
                                   " keys for " +
                                   std::to_string(records.size()) + " records");
  }
  uint64_t raw = 0, max_len = 0;
  for (const std::string_view r : records) {
    raw += r.size();
    max_len = std::max<uint64_t>(max_len, r.size());
  }
  PazipBuilder builder(options);
  builder.finished_ = true;
  if (!keys.empty()) builder.keys_ = &keys;
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
