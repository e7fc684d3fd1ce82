/* A RocksDB program that knows nothing of sctable: C API only, linked
 * against Debian's librocksdb. preload_tools_test.sh runs it under
 * libsctable_preload.so with SCTABLE_ENABLE=1 and expects every SST it
 * writes to be SearchableTable.
 *
 * For each way of opening a DB the C API offers (rocksdb_open,
 * rocksdb_transactiondb_open, rocksdb_optimistictransactiondb_open,
 * rocksdb_open_with_ttl), it writes kKeys keys through small memtables
 * (several flushes), reads them back with get and an iterator, and counts
 * the footer magics of the SSTs. The plain DB is reopened read-write,
 * read-only and as a secondary; another DB gets a column family created after
 * it was opened; a third ingests a file made by SstFileWriter (which the
 * preload does not switch) and is then compacted completely.
 *
 * Usage: capi_check <empty directory>. Prints one line per step; exits 1 on
 * the first mismatch. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rocksdb/c.h>

enum { kKeys = 20000 };
static const uint64_t kSearchableTableMagic = 0x2b9926a3340ae36bull;

static void Check(char* err, const char* what) {
  if (err != NULL) {
    fprintf(stderr, "capi_check: %s: %s\n", what, err);
    exit(1);
  }
}

static void Fail(const char* what, const char* detail) {
  fprintf(stderr, "capi_check: %s: %s\n", what, detail);
  exit(1);
}

static void KeyOf(int i, char* buf) { sprintf(buf, "key%08d", i * 7919 % kKeys); }
static void ValueOf(int i, const char* tag, char* buf) {
  sprintf(buf, "value-%s-%08d-%s", tag, i * 7919 % kKeys,
          "padding-padding-padding-padding-padding-padding-padding");
}

/* SST files in `dir`: total and with SearchableTable's magic. */
static void CountMagics(const char* dir, int* total, int* searchable) {
  DIR* d = opendir(dir);
  struct dirent* e;
  *total = *searchable = 0;
  if (d == NULL) Fail("opendir", dir);
  while ((e = readdir(d)) != NULL) {
    size_t n = strlen(e->d_name);
    char path[4096];
    unsigned char tail[8];
    FILE* f;
    uint64_t magic = 0;
    int b;
    if (n < 4 || strcmp(e->d_name + n - 4, ".sst") != 0) continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    f = fopen(path, "rb");
    if (f == NULL || fseek(f, -8, SEEK_END) != 0 || fread(tail, 1, 8, f) != 8) {
      Fail("read footer", path);
    }
    fclose(f);
    for (b = 7; b >= 0; --b) magic = (magic << 8) | tail[b];
    ++*total;
    if (magic == kSearchableTableMagic) ++*searchable;
  }
  closedir(d);
}

static rocksdb_options_t* NewOptions(void) {
  rocksdb_options_t* o = rocksdb_options_create();
  rocksdb_options_set_create_if_missing(o, 1);
  rocksdb_options_set_write_buffer_size(o, 128 << 10);
  rocksdb_options_set_target_file_size_base(o, 256 << 10);
  return o;
}

/* Reads every key back with get and scans the DB in order. */
static void Verify(rocksdb_t* db, const char* tag, const char* what) {
  rocksdb_readoptions_t* ro = rocksdb_readoptions_create();
  rocksdb_iterator_t* it;
  char key[64], want[128], msg[256];
  int i, n = 0;
  for (i = 0; i < kKeys; i += 97) {
    char* err = NULL;
    size_t len = 0;
    char* got;
    KeyOf(i, key);
    ValueOf(i, tag, want);
    got = rocksdb_get(db, ro, key, strlen(key), &len, &err);
    Check(err, what);
    if (got == NULL || len != strlen(want) || memcmp(got, want, len) != 0) {
      snprintf(msg, sizeof msg, "get(%s) returned a wrong value", key);
      Fail(what, msg);
    }
    rocksdb_free(got);
  }
  it = rocksdb_create_iterator(db, ro);
  for (rocksdb_iter_seek_to_first(it); rocksdb_iter_valid(it);
       rocksdb_iter_next(it)) {
    size_t klen, vlen;
    const char* k = rocksdb_iter_key(it, &klen);
    const char* v = rocksdb_iter_value(it, &vlen);
    sprintf(key, "key%08d", n);
    sprintf(want, "value-%s-%08d-%s", tag, n,
            "padding-padding-padding-padding-padding-padding-padding");
    if (klen != strlen(key) || memcmp(k, key, klen) != 0 ||
        vlen != strlen(want) || memcmp(v, want, vlen) != 0) {
      snprintf(msg, sizeof msg, "iterator entry %d is not %s", n, key);
      Fail(what, msg);
    }
    ++n;
  }
  {
    char* err = NULL;
    rocksdb_iter_get_error(it, &err);
    Check(err, what);
  }
  if (n != kKeys) {
    snprintf(msg, sizeof msg, "iterator saw %d keys, expected %d", n, kKeys);
    Fail(what, msg);
  }
  rocksdb_iter_destroy(it);
  rocksdb_readoptions_destroy(ro);
}

static void Fill(rocksdb_t* db, const char* tag, const char* what) {
  rocksdb_writeoptions_t* wo = rocksdb_writeoptions_create();
  rocksdb_flushoptions_t* fo = rocksdb_flushoptions_create();
  char key[64], value[128], *err = NULL;
  int i;
  for (i = 0; i < kKeys; ++i) {
    KeyOf(i, key);
    ValueOf(i, tag, value);
    rocksdb_put(db, wo, key, strlen(key), value, strlen(value), &err);
    Check(err, what);
  }
  rocksdb_flush(db, fo, &err);
  Check(err, what);
  rocksdb_flushoptions_destroy(fo);
  rocksdb_writeoptions_destroy(wo);
}

static void Report(const char* dir, const char* what) {
  int total, searchable;
  CountMagics(dir, &total, &searchable);
  printf("%s: %d keys read back; SST files: %d, SearchableTable: %d\n", what,
         kKeys, total, searchable);
  if (total == 0) Fail(what, "no SST file was written");
}

int main(int argc, char** argv) {
  char path[4096], second[4096];
  char* err = NULL;
  rocksdb_options_t* o;
  if (argc != 2) {
    fprintf(stderr, "usage: capi_check <empty directory>\n");
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  o = NewOptions();

  { /* rocksdb_open, then reopened read-write, read-only, as secondary */
    rocksdb_t* db;
    snprintf(path, sizeof path, "%s/open", argv[1]);
    db = rocksdb_open(o, path, &err);
    Check(err, "rocksdb_open");
    Fill(db, "open", "rocksdb_open");
    Verify(db, "open", "rocksdb_open");
    rocksdb_close(db);
    Report(path, "rocksdb_open");

    db = rocksdb_open(o, path, &err); /* reads the SSTs, not the memtable */
    Check(err, "rocksdb_open (reopen)");
    Verify(db, "open", "rocksdb_open (reopen)");
    rocksdb_close(db);
    db = rocksdb_open_for_read_only(o, path, 0, &err);
    Check(err, "rocksdb_open_for_read_only");
    Verify(db, "open", "rocksdb_open_for_read_only");
    rocksdb_close(db);
    snprintf(second, sizeof second, "%s/secondary", argv[1]);
    rocksdb_options_set_max_open_files(o, -1); /* required by secondaries */
    db = rocksdb_open_as_secondary(o, path, second, &err);
    Check(err, "rocksdb_open_as_secondary");
    Verify(db, "open", "rocksdb_open_as_secondary");
    rocksdb_close(db);
    printf("rocksdb_open reopened, read-only and as secondary: all read back\n");
  }
  { /* a column family created after the DB was opened */
    rocksdb_t* db;
    rocksdb_column_family_handle_t* cf;
    rocksdb_writeoptions_t* wo = rocksdb_writeoptions_create();
    rocksdb_flushoptions_t* fo = rocksdb_flushoptions_create();
    char key[64], value[128];
    int i;
    snprintf(path, sizeof path, "%s/create_cf", argv[1]);
    db = rocksdb_open(o, path, &err);
    Check(err, "rocksdb_open");
    cf = rocksdb_create_column_family(db, o, "created_later", &err);
    Check(err, "rocksdb_create_column_family");
    for (i = 0; i < kKeys; ++i) {
      KeyOf(i, key);
      ValueOf(i, "cf", value);
      rocksdb_put_cf(db, wo, cf, key, strlen(key), value, strlen(value), &err);
      Check(err, "rocksdb_put_cf");
    }
    rocksdb_flush_cf(db, fo, cf, &err);
    Check(err, "rocksdb_flush_cf");
    rocksdb_column_family_handle_destroy(cf);
    rocksdb_flushoptions_destroy(fo);
    rocksdb_writeoptions_destroy(wo);
    rocksdb_close(db);
    Report(path, "rocksdb_create_column_family");
  }
  { /* SstFileWriter (it takes the caller's factory: BlockBasedTable) and
       ingestion, then a full compaction that rewrites the bottommost level */
    rocksdb_t* db;
    rocksdb_envoptions_t* eo = rocksdb_envoptions_create();
    rocksdb_sstfilewriter_t* w;
    rocksdb_ingestexternalfileoptions_t* io =
        rocksdb_ingestexternalfileoptions_create();
    rocksdb_compactoptions_t* co = rocksdb_compactoptions_create();
    rocksdb_writeoptions_t* wo = rocksdb_writeoptions_create();
    rocksdb_flushoptions_t* fo = rocksdb_flushoptions_create();
    char key[64], value[128], file[4096];
    const char* files[1];
    int n;
    snprintf(path, sizeof path, "%s/ingest", argv[1]);
    snprintf(file, sizeof file, "%s/ingest.sst.external", argv[1]);
    db = rocksdb_open(o, path, &err);
    Check(err, "rocksdb_open (ingest)");
    w = rocksdb_sstfilewriter_create(eo, o);
    rocksdb_sstfilewriter_open(w, file, &err);
    Check(err, "rocksdb_sstfilewriter_open");
    for (n = 0; n < kKeys; ++n) { /* even keys: put; odd keys: ingested */
      sprintf(key, "key%08d", n);
      sprintf(value, "value-%s-%08d-%s", "ingest", n,
              "padding-padding-padding-padding-padding-padding-padding");
      if (n % 2 == 0) {
        rocksdb_put(db, wo, key, strlen(key), value, strlen(value), &err);
      } else {
        rocksdb_sstfilewriter_put(w, key, strlen(key), value, strlen(value),
                                  &err);
      }
      Check(err, "put / rocksdb_sstfilewriter_put");
    }
    rocksdb_sstfilewriter_finish(w, &err);
    Check(err, "rocksdb_sstfilewriter_finish");
    rocksdb_flush(db, fo, &err);
    Check(err, "rocksdb_flush (ingest)");
    files[0] = file;
    rocksdb_ingest_external_file(db, files, 1, io, &err);
    Check(err, "rocksdb_ingest_external_file");
    Verify(db, "ingest", "rocksdb_ingest_external_file");
    Report(path, "rocksdb_ingest_external_file");
    rocksdb_compactoptions_set_bottommost_level_compaction(co, 2 /* kForce */);
    rocksdb_compact_range_opt(db, co, NULL, 0, NULL, 0);
    Verify(db, "ingest", "rocksdb_compact_range_opt");
    Report(path, "rocksdb_compact_range_opt (bottommost kForce)");
    rocksdb_close(db);
    rocksdb_flushoptions_destroy(fo);
    rocksdb_writeoptions_destroy(wo);
    rocksdb_compactoptions_destroy(co);
    rocksdb_ingestexternalfileoptions_destroy(io);
    rocksdb_sstfilewriter_destroy(w);
    rocksdb_envoptions_destroy(eo);
  }
  { /* TransactionDB */
    rocksdb_transactiondb_options_t* to = rocksdb_transactiondb_options_create();
    rocksdb_transactiondb_t* tdb;
    rocksdb_writeoptions_t* wo = rocksdb_writeoptions_create();
    rocksdb_readoptions_t* ro = rocksdb_readoptions_create();
    rocksdb_flushoptions_t* fo = rocksdb_flushoptions_create();
    char key[64], value[128];
    int i;
    snprintf(path, sizeof path, "%s/transactiondb", argv[1]);
    tdb = rocksdb_transactiondb_open(o, to, path, &err);
    Check(err, "rocksdb_transactiondb_open");
    for (i = 0; i < kKeys; ++i) {
      KeyOf(i, key);
      ValueOf(i, "txn", value);
      rocksdb_transactiondb_put(tdb, wo, key, strlen(key), value,
                                strlen(value), &err);
      Check(err, "rocksdb_transactiondb_put");
    }
    rocksdb_transactiondb_flush(tdb, fo, &err);
    Check(err, "rocksdb_transactiondb_flush");
    for (i = 0; i < kKeys; i += 97) {
      size_t len = 0;
      char* got;
      KeyOf(i, key);
      ValueOf(i, "txn", value);
      got = rocksdb_transactiondb_get(tdb, ro, key, strlen(key), &len, &err);
      Check(err, "rocksdb_transactiondb_get");
      if (got == NULL || len != strlen(value) || memcmp(got, value, len) != 0) {
        Fail("rocksdb_transactiondb_get", key);
      }
      rocksdb_free(got);
    }
    rocksdb_transactiondb_close(tdb);
    rocksdb_flushoptions_destroy(fo);
    rocksdb_readoptions_destroy(ro);
    rocksdb_writeoptions_destroy(wo);
    rocksdb_transactiondb_options_destroy(to);
    Report(path, "rocksdb_transactiondb_open");
  }
  { /* OptimisticTransactionDB */
    rocksdb_optimistictransactiondb_t* odb;
    rocksdb_t* base;
    snprintf(path, sizeof path, "%s/optimistic", argv[1]);
    odb = rocksdb_optimistictransactiondb_open(o, path, &err);
    Check(err, "rocksdb_optimistictransactiondb_open");
    base = rocksdb_optimistictransactiondb_get_base_db(odb);
    Fill(base, "occ", "rocksdb_optimistictransactiondb_open");
    Verify(base, "occ", "rocksdb_optimistictransactiondb_open");
    rocksdb_optimistictransactiondb_close_base_db(base);
    rocksdb_optimistictransactiondb_close(odb);
    Report(path, "rocksdb_optimistictransactiondb_open");
  }
  { /* DBWithTTL (values carry a timestamp suffix inside the DB) */
    rocksdb_t* db;
    snprintf(path, sizeof path, "%s/ttl", argv[1]);
    db = rocksdb_open_with_ttl(o, path, 3600, &err);
    Check(err, "rocksdb_open_with_ttl");
    Fill(db, "ttl", "rocksdb_open_with_ttl");
    Verify(db, "ttl", "rocksdb_open_with_ttl");
    rocksdb_close(db);
    Report(path, "rocksdb_open_with_ttl");
  }
  rocksdb_options_destroy(o);
  printf("capi_check: OK\n");
  return 0;
}
