#!/usr/bin/env bash
# Fuzzes the spec front end (and a bounded search) for SECONDS seconds with libFuzzer, starting
# from every spec in the repository. A crash input is saved under tests/fuzz/crashes/.
#   tests/fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
out=build-fuzz
mkdir -p "$out" tests/fuzz/crashes
srcs="model/diagnostics.cpp model/lexer.cpp model/parser.cpp model/lower.cpp model/model.cpp model/eval.cpp
      model/layout.cpp model/semantics.cpp solver/result.cpp solver/run_context.cpp solver/mapped_buffer.cpp
      solver/state_store.cpp solver/explorer.cpp solver/explicit_engine.cpp"
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I. \
  $srcs tests/fuzz/spec_fuzzer.cpp -o "$out/spec_fuzzer"
corpus="$out/corpus"
mkdir -p "$corpus"
find specs tests/bad tests/data -name '*.sched' -exec cp {} "$corpus/" \;
"$out/spec_fuzzer" "$corpus" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=tests/fuzz/crashes/ -print_final_stats=1
