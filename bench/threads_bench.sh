#!/usr/bin/env bash
# The explicit search on 1 thread against 2 (--threads), on the benchmark family: in the same run,
# interleaved (1, 2, 1, 2, ...), REPEAT times each, the search's states/s as interlock prints it
# (the `explored:` line: the search alone) and the whole process's wall-clock and CPU seconds
# (/usr/bin/time). Each spec is checked once first, so that its native code is compiled and
# cached. On a machine shared with other work the figures move with its load: the CPU column
# says how much of the second core the run had (CPU / wall).
#
#   bench/threads_bench.sh [SPEC]... [-- EXTRA ARGS]
#       (SPEC defaults to specs/bench/links_4.sched specs/bench/links_5.sched; EXTRA e.g. --prop no_drop)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
ensure_packages time  # /usr/bin/time
specs=()
extra=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then shift; extra=("$@"); break; fi
  specs+=("$1")
  shift
done
[ ${#specs[@]} -gt 0 ] || specs=(specs/bench/links_4.sched specs/bench/links_5.sched)
repeat=${REPEAT:-5}
bin=${INTERLOCK:-./build/interlock}
for spec in "${specs[@]}"; do "$bin" check "$spec" --quiet --lint off "${extra[@]}" >/dev/null || true; done
out=$(mktemp)
trap 'rm -f "$out"' EXIT
printf '%-28s %3s %3s %12s %12s %8s %8s %8s\n' spec run thr states states/s wall_s cpu_s cpu/wall
for spec in "${specs[@]}"; do
  for r in $(seq 1 "$repeat"); do
    for t in 1 2; do
      times=$( { /usr/bin/time -f '%e %U %S' "$bin" check "$spec" --lint off --threads "$t" "${extra[@]}" >"$out"; } 2>&1 | tail -1)
      line=$(grep '^explored:' "$out")
      states=$(echo "$line" | sed -E 's/^explored: ([0-9]+) states.*/\1/')
      rate=$(echo "$line" | sed -E 's/.* ([0-9]+) states\/s.*/\1/')
      read -r wall user sys <<<"$times"
      cpu=$(awk "BEGIN{printf \"%.2f\", $user + $sys}")
      printf '%-28s %3s %3s %12s %12s %8s %8s %8s\n' "$(basename "$spec")" "$r" "$t" "$states" "$rate" "$wall" "$cpu" \
        "$(awk "BEGIN{printf \"%.2f\", $cpu / $wall}")"
    done
  done
done
