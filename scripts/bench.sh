#!/usr/bin/env bash
# Benchmark: the whole book, both editions, in release mode (wall time and peak
# memory from /usr/bin/time -v), the PDF alone, and the same content through
# `pandoc -t typst` + `typst compile` for comparison. Writes a Markdown report
# to $OUT (default /tmp/casebook-print/BENCH.md).
#
# Needs: /usr/bin/time; for the comparison, pip packages `pypandoc-binary` and
# `typst` (pip install pypandoc-binary typst). Runs each build RUNS times and
# reports the best and the median.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
OUT=${OUT:-/tmp/casebook-print/BENCH.md}
WORK=$(mktemp -d)
mkdir -p "$(dirname "$OUT")"
cargo build --release --quiet
BIN=target/release/casebook

measure() { # label, command…  → "label|best s|median s|peak MB"
    local label=$1; shift
    local times=() peak=0
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -v "$@" >/dev/null 2>"$WORK/time.txt"
        local wall rss
        wall=$(grep 'Elapsed (wall clock)' "$WORK/time.txt" | awk -F': ' '{print $2}' | awk -F: '{print $(NF-1)*60 + $NF}')
        rss=$(grep 'Maximum resident set size' "$WORK/time.txt" | awk '{print $NF}')
        times+=("$wall")
        (( rss > peak )) && peak=$rss
    done
    local sorted best median
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    best=$(echo "$sorted" | head -1)
    median=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
    echo "| $label | $best | $median | $((peak / 1024)) |"
}

{
    echo "# casebook benchmark"
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)."
    echo "Book: $(find book/scenarios -name '*.md' | wc -l) scenarios; $RUNS runs each; times in seconds (wall), memory = peak RSS."
    echo
    echo "| Build | best (s) | median (s) | peak MB |"
    echo "|---|---|---|---|"
    measure "casebook build (EPUB + PDF, 6x9)" $BIN build --out "$WORK/dist"
    measure "casebook build --pdf (6x9)" $BIN build --pdf --out "$WORK/dist"
    measure "casebook build --pdf --paper a4" $BIN build --pdf --paper a4 --out "$WORK/dist"
    measure "casebook build --epub" $BIN build --epub --out "$WORK/dist"

    if python3 -c 'import pypandoc, typst' 2>/dev/null; then
        PANDOC=$(python3 -c 'import pypandoc; print(pypandoc.get_pandoc_path())')
        # The same content: every scenario file, front matter stripped.
        for f in $(find book/scenarios -name '*.md' | sort); do
            awk 'BEGIN{n=0} /^---$/ && n<2 {n++; next} n>=2' "$f"
            echo
        done > "$WORK/all.md"
        cat > "$WORK/typst.sh" <<SH
#!/bin/sh
"$PANDOC" -f markdown -t typst -s -o "$WORK/all.typ" "$WORK/all.md" &&
python3 -c "import typst; typst.compile('$WORK/all.typ', output='$WORK/all.pdf')"
SH
        chmod +x "$WORK/typst.sh"
        measure "pandoc -t typst + typst compile (same scenarios, PDF only)" "$WORK/typst.sh"
        echo
        echo "typst: $(python3 -c 'import typst; print(getattr(typst, "__version__", "?"))'), pandoc: $("$PANDOC" --version | head -1)."
    else
        echo
        echo "(pandoc/typst comparison skipped: pip install pypandoc-binary typst)"
    fi
} | tee "$OUT"
rm -rf "$WORK"
