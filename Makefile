# exportctl: thin wrapper around Meson/Ninja so that a fresh Debian machine
# needs only `make run` and `make test`.  Build directories:
#   build/        the normal build (warnings are errors)
#   build-asan/   the same code under AddressSanitizer + UBSan
#   build-fuzz/   libFuzzer harnesses (clang)

BUILD  ?= build
ASAN   ?= build-asan
FUZZ   ?= build-fuzz
FUZZ_SECONDS ?= 20
LISTEN ?= 127.0.0.1:8080

# Debian packages the build, the tests and the benchmarks need.
DEB_PACKAGES = build-essential pkg-config meson ninja-build clang llvm libclang-rt-14-dev \
	libcmocka-dev libjansson-dev libsqlite3-dev libsodium-dev libmicrohttpd-dev \
	libxml2-dev libutf8proc-dev libicu-dev libcurl4-openssl-dev libpq-dev \
	libmecab-dev mecab-ipadic-utf8 \
	postgresql postgresql-contrib sqlite3 python3 python3-aiosmtpd iso-codes \
	chromium nodejs wrk

.PHONY: all deps build run test test-unit test-asan test-fuzz bench clean format

all: build

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "make deps: installing$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "make deps: missing Debian packages:$$missing"; \
	    echo "run as root: apt-get install$$missing"; exit 1; \
	  fi; \
	fi

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# Until the HTTP service lands, `make run` walks through the reference
# scenario with the command-line tool.
run: build
	@echo "== exportctl is built: ./$(BUILD)/exportctl (see README.md for every command)"
	./$(BUILD)/exportctl determine --regime jp --item 3C002 --to KR --date 2019-09-01
	./$(BUILD)/exportctl diff --regime jp --from 2019-08-27 --to 2019-08-28
	./$(BUILD)/exportctl impact --regime jp --from 2019-08-27 --to 2019-08-28 examples/orders.csv
	./$(BUILD)/exportctl agreements --date 2019-09-01

test: build
	@tests/run-all.sh $(BUILD) $(ASAN) $(FUZZ) $(FUZZ_SECONDS)

bench: build
	@bench/run.sh $(BUILD)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ)
