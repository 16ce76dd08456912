#!/usr/bin/env bash
# interlock-mpi on 1, 2 and 4 ranks (RANKS to change) against the one-process search
# (`check --threads 1`), on one spec, in the same run: the search's seconds as the `explored:`
# line gives them with the peak resident memory of the largest process, the whole command's
# wall-clock seconds (/usr/bin/time), and how the states were spread. Ranks beyond the cores share them
# (--oversubscribe). The spec is checked once first, so that its native code is in the cache.
#
#   bench/mpi_bench.sh [SPEC] [-- EXTRA ARGS]
#       (SPEC defaults to specs/bench/links_5.sched; EXTRA defaults to --prop no_drop --symmetry off)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
ensure_packages time  # /usr/bin/time
spec=specs/bench/links_5.sched
if [ $# -gt 0 ] && [ "$1" != "--" ]; then spec=$1; shift; fi
extra=(--prop no_drop --symmetry off)
if [ $# -gt 0 ] && [ "$1" = "--" ]; then shift; extra=("$@"); fi
ranks=${RANKS:-1 2 4}
bin=${INTERLOCK:-./build/interlock}
mpi_bin=${INTERLOCK_MPI:-./build/interlock-mpi}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
"$bin" check "$spec" --quiet --lint off --native on "${extra[@]}" >/dev/null || true
out=$(mktemp)
took=$(mktemp)
trap 'rm -f "$out" "$took"' EXIT
printf '%-24s %12s %9s %9s %10s  %s\n' run states search_s wall_s peak_MB "states per rank; sent"
row() {  # label, then the command
  local label=$1
  shift
  /usr/bin/time -o "$took" -f '%e' "$@" >"$out" 2>/dev/null || true
  local line states seconds peak spread
  line=$(grep '^explored:' "$out" || echo "explored: ? states, ? s,")
  states=$(echo "$line" | sed -E 's/^explored: ([0-9?]+) states.*/\1/')
  seconds=$(echo "$line" | sed -E 's/.*depth [0-9]+, ([0-9.]+) s,.*/\1/')
  peak=$(echo "$line" | sed -E 's/.*peak memory ([0-9]+) MB.*/\1/')
  spread=$(grep '^ranks:' "$out" | sed -E 's/^ranks: [0-9]+; states per rank: //' || true)
  printf '%-24s %12s %9s %9s %10s  %s\n' "$label" "$states" "$seconds" "$(tail -1 "$took")" "$peak" "$spread"
}
# --por off: the search interlock-mpi makes (it has no partial-order reduction).
row "check --threads 1" "$bin" check "$spec" --lint off --por off --threads 1 --native on "${extra[@]}"
for k in $ranks; do
  row "interlock-mpi -np $k" mpirun --oversubscribe --mca mpi_yield_when_idle 1 -np "$k" "$mpi_bin" "$spec" --native on "${extra[@]}"
done
