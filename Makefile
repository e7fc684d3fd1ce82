# sctable: the two Quick-start commands (`make demo`, `make test`) and the
# targets they are built from. Each target does its own set-up.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
PREFIX ?= /usr/local

.PHONY: all deps configure build test demo install clean distclean format bench bench-quick fuzz test-sanitize

all: build

deps:
	@./scripts/deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# libsctable.so, libsctable_preload.so and the headers under $(PREFIX).
install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

demo: build
	@./scripts/demo.sh $(BUILD)

# libFuzzer targets for the three decoders, N seconds each (needs clang).
FUZZ_SECONDS ?= 60
fuzz: deps
	@./scripts/fuzz.sh $(FUZZ_SECONDS)

# The test suite under ASan + UBSan (our code instrumented, the system
# librocksdb as is), and the concurrency test under TSan.
test-sanitize: deps
	@./scripts/test_sanitize.sh

# Every benchmark against its anchor on the three public data sets, and
# Debian's db_bench stock vs the preload; writes docs/benchmarks.md and
# docs/benchmarks/*.png (bench/run_all.sh). About 11 minutes on 2 cores once built.
bench:
	@BUILD=$(BUILD) ./bench/run_all.sh

# The same on small slices, in a few minutes (not part of `make test`).
bench-quick:
	@BUILD=$(BUILD) ./bench/run_all.sh --quick

format:
	@clang-format -i $$(git ls-files '*.h' '*.cc')

clean:
	@rm -rf $(BUILD)

distclean: clean
	@rm -rf .deps
