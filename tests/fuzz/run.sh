#!/usr/bin/env bash
# Fuzzes, for SECONDS seconds each, with libFuzzer (clang, AddressSanitizer, UBSan):
#   spec: the spec front end and a bounded explicit search (every reduction and property kind),
#         starting from every spec in the repository;
#   itf:  the ITF trace reader and `replay`'s step check, starting from traces interlock writes.
# A crash input is saved under tests/fuzz/crashes/.
#   tests/fuzz/run.sh [SECONDS] [spec|itf|all]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
which=${2:-all}
out=build-fuzz
mkdir -p "$out" tests/fuzz/crashes
model="model/diagnostics.cpp model/utf8.cpp model/input_file.cpp model/stop.cpp model/lexer.cpp model/parser.cpp model/lower.cpp model/model.cpp model/eval.cpp
       model/layout.cpp model/semantics.cpp model/intervals.cpp model/clock_bounds.cpp model/cone.cpp model/dead_clocks.cpp"
solver="solver/result.cpp solver/run_context.cpp solver/explicit/mapped_buffer.cpp solver/explicit/state_store.cpp solver/explicit/explorer.cpp
        solver/explicit/explicit_engine.cpp solver/explicit/delay_analysis.cpp solver/explicit/delay_properties.cpp solver/trace/replay.cpp
        solver/explicit/native/codegen.cpp solver/explicit/native/native_code.cpp"
flags="-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I."
if [ "$which" = spec ] || [ "$which" = all ]; then
  clang++ $flags $model $solver tests/fuzz/spec_fuzzer.cpp -o "$out/spec_fuzzer"
  mkdir -p "$out/corpus"
  find specs tests/bad tests/data -name '*.sched' -exec cp {} "$out/corpus/" \;
  "$out/spec_fuzzer" "$out/corpus" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=tests/fuzz/crashes/ -print_final_stats=1
fi
if [ "$which" = itf ] || [ "$which" = all ]; then
  clang++ $flags $model $solver solver/trace/trace_itf.cpp tests/fuzz/itf_fuzzer.cpp -o "$out/itf_fuzzer"
  mkdir -p "$out/itf_corpus"
  if [ -x build/interlock ]; then
    build/interlock check tests/data/compare/original.sched --prop never_cut --trace json 2>/dev/null > "$out/itf_corpus/a.json" || true
    build/interlock simulate tests/data/liveness.sched --steps 30 --trace json 2>/dev/null > "$out/itf_corpus/b.json" || true
  fi
  "$out/itf_fuzzer" "$out/itf_corpus" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=tests/fuzz/crashes/ -print_final_stats=1
fi
