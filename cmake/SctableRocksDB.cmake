# Locates Debian's librocksdb 7.8.x and the matching internal headers, and
# defines the one target through which code may include RocksDB internals:
#
#   sctable::rocksdb_internal
#
# It carries exactly the definitions Debian compiled librocksdb with and
# -UNDEBUG, because several internal class layouts change with NDEBUG
# (../shared/notes/rocksdb-7.8.3-plugin.md §2): a mismatch corrupts memory
# silently. Only src/table_factory/ (and code that includes its internal
# headers) may link it.

find_path(ROCKSDB_INCLUDE_DIR rocksdb/version.h)
find_library(ROCKSDB_LIBRARY rocksdb)
if(NOT ROCKSDB_INCLUDE_DIR OR NOT ROCKSDB_LIBRARY)
  message(FATAL_ERROR "librocksdb not found: run `make deps` (installs librocksdb-dev 7.8.3)")
endif()

function(_sctable_rocksdb_version header out)
  file(STRINGS "${header}" _lines REGEX "^#define ROCKSDB_(MAJOR|MINOR|PATCH) ")
  set(_v "")
  foreach(_part MAJOR MINOR PATCH)
    string(REGEX MATCH "ROCKSDB_${_part} ([0-9]+)" _m "${_lines}")
    list(APPEND _v "${CMAKE_MATCH_1}")
  endforeach()
  string(REPLACE ";" "." _v "${_v}")
  set(${out} "${_v}" PARENT_SCOPE)
endfunction()

_sctable_rocksdb_version("${ROCKSDB_INCLUDE_DIR}/rocksdb/version.h" SCTABLE_ROCKSDB_VERSION)
if(NOT SCTABLE_ROCKSDB_VERSION MATCHES "^7\\.8\\.")
  message(FATAL_ERROR
    "sctable needs librocksdb 7.8.x (found ${SCTABLE_ROCKSDB_VERSION} in "
    "${ROCKSDB_INCLUDE_DIR}): its table format uses RocksDB internals whose "
    "layout is version-specific. Install Debian bookworm's librocksdb-dev 7.8.3.")
endif()

set(SCTABLE_ROCKSDB_SOURCE_DIR "${CMAKE_SOURCE_DIR}/.deps/rocksdb-${SCTABLE_ROCKSDB_VERSION}"
    CACHE PATH "RocksDB source tree matching the installed librocksdb (internal headers)")
if(NOT EXISTS "${SCTABLE_ROCKSDB_SOURCE_DIR}/table/table_builder.h")
  message(FATAL_ERROR
    "RocksDB internal headers not found in ${SCTABLE_ROCKSDB_SOURCE_DIR}: run "
    "`make deps`, or pass -DSCTABLE_ROCKSDB_SOURCE_DIR=<RocksDB ${SCTABLE_ROCKSDB_VERSION} tree>")
endif()
_sctable_rocksdb_version("${SCTABLE_ROCKSDB_SOURCE_DIR}/include/rocksdb/version.h" _tree_version)
if(NOT _tree_version STREQUAL SCTABLE_ROCKSDB_VERSION)
  message(FATAL_ERROR
    "RocksDB tree ${SCTABLE_ROCKSDB_SOURCE_DIR} is version ${_tree_version}, but the "
    "installed librocksdb is ${SCTABLE_ROCKSDB_VERSION}; they must match exactly")
endif()
message(STATUS "RocksDB ${SCTABLE_ROCKSDB_VERSION}: ${ROCKSDB_LIBRARY}, internals from ${SCTABLE_ROCKSDB_SOURCE_DIR}")

# Public RocksDB API only (tools, tests using DB::Open): any flags are fine.
add_library(sctable_rocksdb_public INTERFACE)
target_include_directories(sctable_rocksdb_public SYSTEM INTERFACE ${ROCKSDB_INCLUDE_DIR})
target_link_libraries(sctable_rocksdb_public INTERFACE ${ROCKSDB_LIBRARY})
add_library(sctable::rocksdb ALIAS sctable_rocksdb_public)

# Internals: Debian's exact definitions (debian/rules + RocksDB's CMakeLists
# with PORTABLE=ON on Linux), and no NDEBUG. The -UNDEBUG option lands after
# CMAKE_CXX_FLAGS_RELEASE's -DNDEBUG on the command line, so it wins.
# Never add NDEBUG, USE_COROUTINES, ROCKSDB_LITE, ROCKSDB_ASSERT_STATUS_CHECKED,
# NPERF_CONTEXT, NIOSTATS_CONTEXT or ROCKSDB_NAMESPACE here.
add_library(sctable_rocksdb_internal INTERFACE)
# The source tree is searched after /usr/include (public headers are
# identical), but its internal directories are only there.
target_include_directories(sctable_rocksdb_internal SYSTEM INTERFACE
  ${ROCKSDB_INCLUDE_DIR} ${SCTABLE_ROCKSDB_SOURCE_DIR} ${SCTABLE_ROCKSDB_SOURCE_DIR}/include)
target_compile_definitions(sctable_rocksdb_internal INTERFACE
  OS_LINUX ROCKSDB_PLATFORM_POSIX ROCKSDB_LIB_IO_POSIX ROCKSDB_FALLOCATE_PRESENT
  ROCKSDB_MALLOC_USABLE_SIZE ROCKSDB_PTHREAD_ADAPTIVE_MUTEX ROCKSDB_RANGESYNC_PRESENT
  ROCKSDB_SCHED_GETCPU_PRESENT ROCKSDB_NO_DYNAMIC_EXTENSION
  SNAPPY ZLIB BZIP2 LZ4 ZSTD GFLAGS=1)
set(SCTABLE_ROCKSDB_ABI_FLAGS "-UNDEBUG" CACHE STRING
    "ABI flags for code including RocksDB internals. Do not change: the ABI guard test exists to catch -DNDEBUG here.")
separate_arguments(_abi_flags UNIX_COMMAND "${SCTABLE_ROCKSDB_ABI_FLAGS}")
target_compile_options(sctable_rocksdb_internal INTERFACE
  ${_abi_flags} -fno-builtin-memcmp -fvisibility-inlines-hidden -pthread)
target_link_libraries(sctable_rocksdb_internal INTERFACE ${ROCKSDB_LIBRARY} Threads::Threads dl)
add_library(sctable::rocksdb_internal ALIAS sctable_rocksdb_internal)
