#!/usr/bin/env bash
# Makes a large book for the memory and speed checks: the real book's
# scenarios copied until there are N (default 2000), each copy with a new id
# and title, in the same ten categories. Usage: scripts/make-big-book.sh [N] [DIR]
set -euo pipefail
n=${1:-2000}
out=${2:-/tmp/casebook-big/book}
src=book
rm -rf "$out"
mkdir -p "$out"
cp "$src/tags.yaml" "$out/"
cp -r "$src/front" "$out/"
mkdir -p "$(dirname "$out")/covers"
cp covers/cover.png "$(dirname "$out")/covers/"
mapfile -t files < <(find "$src/scenarios" -name '*.md' | sort)
count=${#files[@]}
copies=$(( (n + count - 1) / count ))
made=0
for ((c = 1; c <= copies; c++)); do
  for f in "${files[@]}"; do
    [ "$made" -ge "$n" ] && break
    category=$(basename "$(dirname "$f")")
    name=$(basename "$f")
    mkdir -p "$out/scenarios/$category"
    sed -e "s/^id: \(.*\)/id: \1-copy-$c/" -e "s/^title: \"\(.*\)\"/title: \"\1 (copy $c)\"/" \
      "$f" > "$out/scenarios/$category/$(printf '%02d' "$c")-$name"
    made=$((made + 1))
  done
done
# Same book.yaml, with each category's promised count set to what it now holds.
python3 - "$src/book.yaml" "$out" <<'PY'
import os, re, sys
text = open(sys.argv[1]).read()
out = sys.argv[2]
def count(match):
    folder = match.group(1)
    n = len(os.listdir(os.path.join(out, folder)))
    return f"dir: {folder}\n    count: {n}"
text = re.sub(r"dir: (\S+)\n    count: \d+", count, text)
open(os.path.join(out, "book.yaml"), "w").write(text)
PY
echo "$made scenarios in $out"
