# casebook: `make` builds the book; `make test` runs every test (installing the
# external checkers first where they are missing).

CARGO ?= cargo
BIN := target/release/casebook
EPUB := dist/when-theory-ends-production-scenarios.epub

.PHONY: book test check epubcheck cover bench lint tools clean release

book: $(BIN)
	$(BIN) build

$(BIN): Cargo.toml Cargo.lock $(shell find src fonts -type f)
	$(CARGO) build --release

test: tools
	$(CARGO) test --release

tools:
	./scripts/install-test-tools.sh

check: $(BIN)
	$(BIN) check --strict

epubcheck: book tools
	epubcheck $(EPUB)

cover: $(BIN)
	$(BIN) cover

# Full-book timings (both editions, each alone, and pandoc + typst on the same
# content when pypandoc-binary and typst are installed) into /tmp/casebook-print/BENCH.md.
bench:
	./scripts/bench.sh
	cat /tmp/casebook-print/BENCH.md

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

clean:
	rm -rf dist target/test-output

# Every edition, README.txt, SHA256SUMS and one ZIP into dist/release/.
release: $(BIN)
	$(BIN) release
