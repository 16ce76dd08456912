#!/usr/bin/env bash
# Fuzzes, for SECONDS seconds each, with libFuzzer (clang, AddressSanitizer, UBSan), one job:
#   spec: the spec front end and a bounded explicit search (every reduction and property kind),
#         starting from every spec in the repository (specs/, tests/bad/, tests/data/, tests/regress/,
#         tests/fuzz/);
#   itf:  the ITF trace reader and `replay`'s step check, starting from traces interlock writes.
# Any crash, hang (10 s for one input) or sanitizer report fails the run; its input is saved
# under tests/fuzz/crashes/.
#   tests/fuzz/run.sh [SECONDS] [spec|itf|all]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/common.sh
ensure_packages clang libclang-rt-14-dev
seconds=${1:-60}
which=${2:-all}
out=build-fuzz
mkdir -p tests/fuzz/crashes
if [ ! -f "$out/CMakeCache.txt" ]; then
  CXX=clang++ cmake -S . -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINTERLOCK_FUZZ=ON -DINTERLOCK_TESTS=OFF >"$out.log" 2>&1 ||
    { cat "$out.log" >&2; exit 1; }
fi
cmake --build "$out" -j2 --target spec_fuzzer itf_fuzzer >"$out.log" 2>&1 || { grep -E 'error' "$out.log" | head -40 >&2; exit 1; }
fuzz() {  # fuzz NAME CORPUS MAX_LEN
  "$out/tests/fuzz/$1" "$2" -max_total_time="$seconds" -max_len="$3" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=tests/fuzz/crashes/ -print_final_stats=1
}
if [ "$which" = spec ] || [ "$which" = all ]; then
  mkdir -p "$out/corpus"
  # Named by their path, so that specs of the same name in different folders all count.
  find specs tests/bad tests/data tests/regress tests/fuzz -name '*.sched' | while read -r f; do cp "$f" "$out/corpus/${f//\//_}"; done
  fuzz spec_fuzzer "$out/corpus" 16384
fi
if [ "$which" = itf ] || [ "$which" = all ]; then
  mkdir -p "$out/itf_corpus"
  if [ -x build/interlock ]; then
    for seed in 1 2 3; do
      build/interlock simulate tests/fuzz/itf_target.sched --steps 12 --seed "$seed" --trace json 2>/dev/null > "$out/itf_corpus/target_$seed.json" || true
    done
    build/interlock check tests/data/compare/original.sched --prop never_cut --trace json 2>/dev/null > "$out/itf_corpus/a.json" || true
  fi
  fuzz itf_fuzzer "$out/itf_corpus" 8192
fi
