#!/usr/bin/env bash
# Runs a fuzz target for a bounded time: scripts/fuzz.sh TARGET SECONDS
# (TARGET: singa-config, onnx-model or data-file), or, for a reproducible run (ctest),
# scripts/fuzz.sh TARGET runs=N: N inputs from a fixed seed. Seeds come from
# the examples, ../shared and the ONNX node tests; the growing corpus and any crash reproducer stay in $BUILD_DIR/fuzz-corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
target=$1
bound=${2:-60}
case $bound in
  runs=*) limit=(-runs="${bound#runs=}" -seed=1) ;;
  *) limit=(-max_total_time="$bound") ;;
esac
build=${BUILD_DIR:-build}
fuzzer="$build/fuzz/$target-fuzzer"
if [ ! -x "$fuzzer" ]; then
  echo "fuzz: $fuzzer was not built (needs clang++ with libFuzzer)" >&2
  exit 1
fi
corpus="$build/fuzz-corpus/$target"
# A reproducible run starts from the seeds alone.
if [ "${limit[0]#-runs=}" != "${limit[0]}" ]; then
  corpus="$build/fuzz-corpus/$target-reproducible"
  rm -rf "$corpus"
fi
mkdir -p "$corpus" "$build/fuzz-corpus/artifacts"
case $target in
  singa-config)
    cp examples/singa/*.conf "$corpus/"
    if [ -d ../shared/singa-confs ]; then cp ../shared/singa-confs/*.conf "$corpus/"; fi
    dict=fuzz/singa.dict ;;
  onnx-model)
    # A spread of the node tests' models as seeds.
    n=0
    for m in /usr/share/libonnx-testdata/data/node/*/model.onnx; do
      n=$((n + 1))
      if [ $((n % 4)) -eq 0 ]; then cp "$m" "$corpus/$(basename "$(dirname "$m")").onnx"; fi
    done
    # And of the onnx 1.23 ones (opsets past libonnx's checker, which only
    # the importer's own checks guard), when scripts/setup-python.sh made them.
    for m in .cache/onnx-1.23/node/*/model.onnx; do
      [ -f "$m" ] || continue
      n=$((n + 1))
      if [ $((n % 8)) -eq 0 ]; then cp "$m" "$corpus/new-$(basename "$(dirname "$m")").onnx"; fi
    done
    dict="" ;;
  data-file)
    # Byte 0 picks the format (0 kvfile, 1 textfile, 2 idx, 3 char-RNN;
    # 4: with labels), byte 1 splits two-file inputs; the rest is the file.
    tmp=$(mktemp -d)
    python3 test/tools/Inputs/strata-data-idx.py "$tmp/images" "$tmp/labels"
    "$build/bin/strata-data" convert --from idx "$tmp/images" --labels "$tmp/labels" -o "$tmp/idx.bin" >/dev/null
    "$build/bin/strata-data" convert --from csv test/tools/Inputs/strata-data.csv -o "$tmp/csv.bin" >/dev/null
    { printf '\x00\x01'; cat "$tmp/idx.bin"; } > "$corpus/kvfile-idx"
    { printf '\x00\x02'; cat "$tmp/csv.bin"; } > "$corpus/kvfile-csv"
    { printf '\x05\x01'; cat test/tools/Inputs/strata-data.csv; } > "$corpus/csv"
    # idx: the 40 bytes of images, then the 12 of labels (52 * 197 / 256 = 40).
    { printf '\x06\xc5'; cat "$tmp/images" "$tmp/labels"; } > "$corpus/idx"
    # char-RNN: vocabulary "abcd", then the text (24 * 43 / 256 = 4).
    { printf '\x07\x2babcd'; printf 'abcddcbaabcdabcddcba'; } > "$corpus/char-rnn"
    rm -rf "$tmp"
    dict="" ;;
  *) echo "fuzz: unknown target $target" >&2; exit 1 ;;
esac
# Bounded in time, per input (a hang is a failure) and in memory.
exec "$fuzzer" "$corpus" ${dict:+-dict="$dict"} "${limit[@]}" -timeout=10 \
  -rss_limit_mb=4096 -max_len=16384 -print_final_stats=1 \
  -artifact_prefix="$build/fuzz-corpus/artifacts/"
