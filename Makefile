# exportctl: thin wrapper around Meson/Ninja so that a fresh Debian machine
# needs only `make run` and `make test`.  Build directories:
#   build/        the normal build (warnings are errors)
#   build-asan/   the same code under AddressSanitizer + UBSan
#   build-tsan/   the tests that run threads, under ThreadSanitizer
#   build-fuzz/   libFuzzer harnesses (clang)

BUILD  ?= build
ASAN   ?= build-asan
TSAN   ?= build-tsan
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

# `make run`: the HTTP service on var/exportctl.db with the bundled rule data
# and a demo screening index, in the foreground until Ctrl-C
# (LISTEN=HOST:PORT, SMTP=smtp://HOST:PORT for lost-password mail).
run: build
	@scripts/run-demo.sh $(BUILD) $(LISTEN)

test: build
	@tests/run-all.sh $(BUILD) $(ASAN) $(FUZZ) $(FUZZ_SECONDS) $(TSAN)

bench: build
	@bench/run.sh $(BUILD)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ) $(TSAN)
