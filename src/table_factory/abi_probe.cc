#include "table_factory/abi_probe.h"

#include "table_factory/abi_check.h"  // before any RocksDB internal header

#include <memory>

#include "file/random_access_file_reader.h"
#include "file/writable_file_writer.h"
#include "options/cf_options.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "rocksdb/options.h"
#include "table/block_based/block.h"
#include "table/format.h"
#include "table/meta_blocks.h"

namespace sctable {

namespace {

Status FromRocks(const rocksdb::Status& s, const char* what) {
  if (s.ok()) return Status::OK();
  std::string msg = std::string(what) + ": " + s.ToString();
  if (s.IsCorruption()) return Status::Corruption(msg);
  if (s.IsInvalidArgument()) return Status::InvalidArgument(msg);
  if (s.IsNotSupported()) return Status::NotSupported(msg);
  return Status::IOError(msg);
}

}  // namespace

Status WriteAbiProbeTable(const std::string& path, uint64_t num_entries,
                          const std::string& note) {
  auto fs = rocksdb::FileSystem::Default();
  std::unique_ptr<rocksdb::FSWritableFile> file;
  rocksdb::FileOptions fopts;
  SCTABLE_RETURN_IF_ERROR(FromRocks(
      fs->NewWritableFile(path, fopts, &file, nullptr), "create probe"));
  rocksdb::WritableFileWriter writer(std::move(file), path, fopts);

  // A data section that is not a RocksDB block: the format owns these bytes.
  const std::string data = "sctable abi probe data";
  uint64_t offset = 0;
  SCTABLE_RETURN_IF_ERROR(FromRocks(writer.Append(data), "append data"));
  offset += data.size();

  rocksdb::TableProperties props;
  props.num_entries = num_entries;
  props.raw_key_size = 7 * num_entries;
  props.raw_value_size = 11 * num_entries;
  props.data_size = data.size();
  props.column_family_id = 0;
  props.column_family_name = "default";
  props.comparator_name = "leveldb.BytewiseComparator";
  props.format_version = 1;
  rocksdb::PropertyBlockBuilder prop_builder;
  prop_builder.AddTableProperty(props);
  rocksdb::UserCollectedProperties user;
  user["sctable.probe"] = note;
  prop_builder.Add(user);
  rocksdb::Slice prop_block = prop_builder.Finish();
  rocksdb::BlockHandle prop_handle(offset, prop_block.size());
  SCTABLE_RETURN_IF_ERROR(
      FromRocks(writer.Append(prop_block), "append properties"));
  offset += prop_block.size();

  rocksdb::MetaIndexBuilder meta_builder;
  meta_builder.Add(rocksdb::kPropertiesBlockName, prop_handle);
  meta_builder.Add(kAbiProbeDataBlock, rocksdb::BlockHandle(0, data.size()));
  rocksdb::Slice meta_block = meta_builder.Finish();
  rocksdb::BlockHandle meta_handle(offset, meta_block.size());
  SCTABLE_RETURN_IF_ERROR(
      FromRocks(writer.Append(meta_block), "append metaindex"));
  offset += meta_block.size();

  rocksdb::FooterBuilder footer;
  footer.Build(kAbiProbeMagic, /*format_version=*/1, offset,
               rocksdb::kNoChecksum, meta_handle);
  SCTABLE_RETURN_IF_ERROR(
      FromRocks(writer.Append(footer.GetSlice()), "append footer"));
  SCTABLE_RETURN_IF_ERROR(FromRocks(writer.Sync(false), "sync"));
  return FromRocks(writer.Close(), "close");
}

Status ReadAbiProbeTable(const std::string& path, AbiProbeResult* result) {
  auto fs = rocksdb::FileSystem::Default();
  rocksdb::FileOptions fopts;
  uint64_t size = 0;
  SCTABLE_RETURN_IF_ERROR(FromRocks(
      fs->GetFileSize(path, rocksdb::IOOptions(), &size, nullptr), "stat"));
  std::unique_ptr<rocksdb::FSRandomAccessFile> raf;
  SCTABLE_RETURN_IF_ERROR(FromRocks(
      fs->NewRandomAccessFile(path, fopts, &raf, nullptr), "open probe"));
  rocksdb::RandomAccessFileReader reader(std::move(raf), path);

  rocksdb::Options options;
  rocksdb::ImmutableOptions ioptions(options);
  std::unique_ptr<rocksdb::TableProperties> props;
  SCTABLE_RETURN_IF_ERROR(FromRocks(
      rocksdb::ReadTableProperties(&reader, size, kAbiProbeMagic, ioptions,
                                   &props),
      "read properties"));
  result->file_size = size;
  result->num_entries = props->num_entries;
  result->raw_key_size = props->raw_key_size;
  result->raw_value_size = props->raw_value_size;
  result->data_size = props->data_size;
  result->format_version = props->format_version;
  result->column_family_name = props->column_family_name;
  result->comparator_name = props->comparator_name;
  result->user_properties.clear();
  for (const auto& kv : props->user_collected_properties) {
    result->user_properties[kv.first] = kv.second;
  }

  // Find the data section the way the table reader finds its own sections:
  // metaindex block -> Block -> MetaBlockIter -> handle. BlockContents,
  // Block and the iterator live in our frames but are filled and walked by
  // the library, so a layout mismatch shows up here.
  rocksdb::BlockContents meta_contents;
  SCTABLE_RETURN_IF_ERROR(FromRocks(
      rocksdb::ReadMetaIndexBlockInFile(&reader, size, kAbiProbeMagic,
                                        ioptions, &meta_contents),
      "read metaindex"));
  rocksdb::Block meta_block(std::move(meta_contents));
  std::unique_ptr<rocksdb::MetaBlockIter> meta_iter(
      meta_block.NewMetaIterator());
  rocksdb::BlockHandle data_handle;
  SCTABLE_RETURN_IF_ERROR(FromRocks(
      rocksdb::FindMetaBlock(meta_iter.get(), kAbiProbeDataBlock,
                             &data_handle),
      "find data section"));
  result->meta_blocks.clear();
  for (meta_iter->SeekToFirst(); meta_iter->Valid(); meta_iter->Next()) {
    result->meta_blocks.push_back(meta_iter->key().ToString());
  }
  rocksdb::BlockContents data_contents;
  SCTABLE_RETURN_IF_ERROR(FromRocks(
      rocksdb::ReadMetaBlock(&reader, nullptr, size, kAbiProbeMagic, ioptions,
                             kAbiProbeDataBlock, rocksdb::BlockType::kMetaIndex,
                             &data_contents),
      "read data section"));
  result->data_section = data_contents.data.ToString();
  if (data_handle.size() != result->data_section.size()) {
    return Status::Corruption("data section handle and contents disagree");
  }
  return Status::OK();
}

}  // namespace sctable
