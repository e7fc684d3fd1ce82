// Tests of the `sctable` command through its binary: round trips, ingestion
// of its output into a DB, and every bad-input case (non-zero exit, one line
// on stderr, no output file left behind).
#include <dirent.h>
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/table.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "records.h"
#include "sctable/searchable_table.h"

namespace sctable {
namespace {

struct CliRun {
  int code;
  std::string out, err;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(SCTABLE_TEST_TMPDIR) + "/cli." + std::to_string(::getpid()) +
           "." + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    ASSERT_EQ(std::system(("rm -rf '" + dir_ + "' && mkdir -p '" + dir_ + "'").c_str()), 0);
  }
  void TearDown() override { (void)!std::system(("rm -rf '" + dir_ + "'").c_str()); }

  CliRun Sctable(const std::string& args) {
    const std::string out = dir_ + "/.stdout", err = dir_ + "/.stderr";
    const std::string cmd = std::string(SCTABLE_BIN) + " " + args + " >'" + out +
                            "' 2>'" + err + "'";
    int rc = std::system(cmd.c_str());
    CliRun r{WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, Slurp(out), Slurp(err)};
    std::remove(out.c_str());
    std::remove(err.c_str());
    return r;
  }
  static std::string Slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }
  void Write(const std::string& path, const std::string& contents) {
    std::ofstream f(path, std::ios::binary);
    f << contents;
  }
  // Files in dir_ other than the test's own inputs.
  std::vector<std::string> Files() {
    std::vector<std::string> names;
    DIR* d = opendir(dir_.c_str());
    while (dirent* e = d ? readdir(d) : nullptr) {
      std::string n = e->d_name;
      if (n != "." && n != ".." && n.rfind("in", 0) != 0) names.push_back(n);
    }
    if (d) closedir(d);
    return names;
  }
  // Asserts a clean failure: non-zero exit, one line naming `needle`, and
  // nothing but the inputs left in the directory.
  void ExpectCleanFailure(const CliRun& r, const std::string& needle) {
    EXPECT_NE(r.code, 0);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
    EXPECT_TRUE(Files().empty()) << Files().front();
  }

  std::string dir_;
};

// Sorted, last-wins expected output of extract --all.
std::string ExpectedTsv(const std::vector<std::pair<std::string, std::string>>& in) {
  std::map<std::string, std::string> m;
  for (auto& [k, v] : in) m[k] = v;
  std::string out;
  for (auto& [k, v] : m) out += tool::EscapeTsv(k) + "\t" + tool::EscapeTsv(v) + "\n";
  return out;
}

TEST_F(CliTest, RandomTsvRoundTripsWithDuplicatesAndAnyBytes) {
  std::mt19937 rng(5);
  std::vector<std::pair<std::string, std::string>> recs;
  std::string tsv;
  for (int i = 0; i < 20000; ++i) {
    std::string k, v;
    const int klen = rng() % 12, vlen = rng() % 200;
    for (int j = 0; j < klen; ++j) k.push_back(static_cast<char>(rng() % 4 == 0 ? rng() : 'a' + rng() % 6));
    for (int j = 0; j < vlen; ++j) v.push_back(static_cast<char>(rng()));
    recs.emplace_back(k, v);
    tsv += tool::EscapeTsv(k) + "\t" + tool::EscapeTsv(v) + "\n";
  }
  Write(dir_ + "/in.tsv", tsv);
  // A tiny sort budget forces sorted runs on disk and their merge.
  CliRun c = Sctable("compress -q --sort-memory 65536 -o '" + dir_ + "/out.sst' '" +
                  dir_ + "/in.tsv'");
  ASSERT_EQ(c.code, 0) << c.err;
  CliRun x = Sctable("extract '" + dir_ + "/out.sst' --all");
  ASSERT_EQ(x.code, 0) << x.err;
  EXPECT_EQ(x.out, ExpectedTsv(recs));
  EXPECT_EQ(Files(), std::vector<std::string>{"out.sst"});  // no sort runs left
  CliRun n = Sctable("extract '" + dir_ + "/out.sst' --all --count");
  const size_t unique = std::map<std::string, std::string>(recs.begin(), recs.end()).size();
  EXPECT_EQ(std::stoul(n.out), unique);
  CliRun v = Sctable("verify '" + dir_ + "/out.sst'");
  EXPECT_EQ(v.code, 0) << v.err;
}

TEST_F(CliTest, DuplicateIsAnErrorWhenAsked) {
  Write(dir_ + "/in.tsv", "a\t1\nb\t2\na\t3\n");
  CliRun r = Sctable("compress -q --on-duplicate=error -o '" + dir_ + "/out.sst' '" +
                  dir_ + "/in.tsv'");
  ExpectCleanFailure(r, "in.tsv:3: duplicate key (first at ");
}

TEST_F(CliTest, StanzasAndLinesRoundTrip) {
  std::string stanzas;
  std::vector<std::pair<std::string, std::string>> recs;
  for (int i = 0; i < 500; ++i) {
    std::string s = "Package: p" + std::to_string(i % 300) + "\nVersion: " +
                    std::to_string(i) + "\nDescription: thing " +
                    std::string(i % 50, 'x') + "\n continued line\n";
    recs.emplace_back("p" + std::to_string(i % 300) + " " + std::to_string(i), s);
    stanzas += s + "\n";
  }
  Write(dir_ + "/in.stanzas", stanzas);
  CliRun c = Sctable("compress -q --from stanzas --key Package,Version -o '" + dir_ +
                  "/s.sst' '" + dir_ + "/in.stanzas'");
  ASSERT_EQ(c.code, 0) << c.err;
  EXPECT_EQ(Sctable("extract '" + dir_ + "/s.sst' --all").out, ExpectedTsv(recs));
  CliRun p = Sctable("extract '" + dir_ + "/s.sst' --prefix 'p29' --count");
  EXPECT_EQ(p.out, "12\n");  // p29 (i = 29, 329) and p290..p299
  CliRun k = Sctable("extract '" + dir_ + "/s.sst' --key 'p7 7' --values-only");
  EXPECT_EQ(k.out, recs[7].second);

  // Real text: this repository's own sources, one key per line.
  const std::string src = std::string(SCTABLE_SOURCE_DIR) + "/src/table_factory/searchable_table_reader.cc";
  CliRun l = Sctable("compress -q --from lines -o '" + dir_ + "/l.sst' '" + src + "'");
  ASSERT_EQ(l.code, 0) << l.err;
  std::vector<std::pair<std::string, std::string>> lines;
  std::istringstream in(Slurp(src));
  for (std::string line; std::getline(in, line);) lines.emplace_back(line, "");
  EXPECT_EQ(Sctable("extract '" + dir_ + "/l.sst' --all").out, ExpectedTsv(lines));
}

TEST_F(CliTest, BundledDebianSampleRoundTrips) {
  const std::string sample = std::string(SCTABLE_SOURCE_DIR) +
                             "/bench/datasets/packages-sample.stanzas.xz";
  ASSERT_EQ(std::system(("xz -dc '" + sample + "' > '" + dir_ + "/in.stanzas'").c_str()), 0);
  CliRun c = Sctable("compress -q --from stanzas --key Package,Version,Architecture -o '" +
                  dir_ + "/d.sst' '" + dir_ + "/in.stanzas'");
  ASSERT_EQ(c.code, 0) << c.err;
  CliRun n = Sctable("extract '" + dir_ + "/d.sst' --all --count");
  std::istringstream in(Slurp(dir_ + "/in.stanzas"));
  int stanzas = 0;
  for (std::string line; std::getline(in, line);) stanzas += line.rfind("Package: ", 0) == 0;
  EXPECT_EQ(std::stoi(n.out), stanzas);
  CliRun info = Sctable("info --json '" + dir_ + "/d.sst'");
  ASSERT_EQ(info.code, 0) << info.err;
  EXPECT_NE(info.out.find("\"format\":\"SearchableTable\""), std::string::npos) << info.out;
}

TEST_F(CliTest, CompressedFileIngestsIntoASearchableTableDB) {
  Write(dir_ + "/in.tsv", "apple\tred\nbanana\tyellow\ncherry\tdark red\n");
  ASSERT_EQ(Sctable("compress -q -o '" + dir_ + "/f.sst' '" + dir_ + "/in.tsv'").code, 0);
  rocksdb::Options o;
  o.create_if_missing = true;
  o.table_factory.reset(NewSearchableTableFactory());
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(o, dir_ + "/db", &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  ASSERT_TRUE(db->Put({}, "banana", "old").ok());
  rocksdb::Status s = db->IngestExternalFile({dir_ + "/f.sst"}, {});
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::string v;
  ASSERT_TRUE(db->Get({}, "banana", &v).ok());
  EXPECT_EQ(v, "yellow");
  ASSERT_TRUE(db->Get({}, "cherry", &v).ok());
  EXPECT_EQ(v, "dark red");
  db.reset();
  (void)!std::system(("rm -rf '" + dir_ + "/db'").c_str());
}

TEST_F(CliTest, BadInputsFailCleanly) {
  const std::string out = "-o '" + dir_ + "/out.sst' ";
  ExpectCleanFailure(Sctable("compress -q " + out + "'" + dir_ + "/in-missing.tsv'"),
                     "in-missing.tsv: cannot open");
  ExpectCleanFailure(Sctable("compress -q " + out + "'" + dir_ + "'"), dir_);
  Write(dir_ + "/in-empty.tsv", "");
  ExpectCleanFailure(Sctable("compress -q " + out + "'" + dir_ + "/in-empty.tsv'"),
                     "no records");
  Write(dir_ + "/in-bad.tsv", "a\t1\nb\t2\nno tab here\nd\t4\n");
  ExpectCleanFailure(Sctable("compress -q " + out + "'" + dir_ + "/in-bad.tsv'"),
                     "in-bad.tsv:3: no TAB");
  Write(dir_ + "/in-esc.tsv", "a\t1\\q\n");
  ExpectCleanFailure(Sctable("compress -q " + out + "'" + dir_ + "/in-esc.tsv'"),
                     "in-esc.tsv:1: bad escape");
  Write(dir_ + "/in.stanzas", "Package: a\nVersion: 1\n\nVersion: 2\n\n");
  ExpectCleanFailure(Sctable("compress -q --from stanzas --key Package " + out + "'" +
                             dir_ + "/in.stanzas'"),
                     "in.stanzas:4: stanza has no field Package");
  Write(dir_ + "/in-ok.tsv", "a\t1\n");
  ExpectCleanFailure(Sctable("compress -q -o /nonexistent-dir/x.sst '" + dir_ + "/in-ok.tsv'"),
                     "/nonexistent-dir/x.sst");

  // Usage errors exit 2.
  CliRun u = Sctable("extract '" + dir_ + "/x.sst'");
  EXPECT_EQ(u.code, 2);
  EXPECT_EQ(std::count(u.err.begin(), u.err.end(), '\n'), 1) << u.err;
  EXPECT_EQ(Sctable("frobnicate").code, 2);
  EXPECT_EQ(Sctable("compress --help").code, 0);

  // A damaged SST: truncated and corrupted.
  ASSERT_EQ(Sctable("compress -q -o '" + dir_ + "/in-good.sst' '" + dir_ + "/in-ok.tsv'").code, 0);
  std::string good = Slurp(dir_ + "/in-good.sst");
  Write(dir_ + "/in-trunc.sst", good.substr(0, good.size() / 2));
  std::string flipped = good;
  flipped[4] ^= 0x10;  // inside the values section
  Write(dir_ + "/in-flip.sst", flipped);
  for (const char* cmd : {"extract --all", "info", "verify"}) {
    ExpectCleanFailure(Sctable(std::string(cmd) + " '" + dir_ + "/in-trunc.sst'"),
                       "in-trunc.sst");
    ExpectCleanFailure(Sctable(std::string(cmd) + " '" + dir_ + "/in-missing.sst'"),
                       "in-missing.sst");
  }
  CliRun v = Sctable("verify '" + dir_ + "/in-flip.sst'");
  ExpectCleanFailure(v, "values");
  CliRun k = Sctable("extract '" + dir_ + "/in-good.sst' --key zzz");
  ExpectCleanFailure(k, "key not found: zzz");
  EXPECT_EQ(Sctable("extract '" + dir_ + "/in-good.sst' --key zzz --missing-ok").code, 0);
}

}  // namespace
}  // namespace sctable
