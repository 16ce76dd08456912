#!/usr/bin/env bash
# `interlock import crontab` on a generated 50-line crontab (jobs of every schedule form, a third
# of them under flock on five shared locks, environment lines and comments between): the whole
# process, best of REPEAT runs (default 5), and the size of what it writes. The issue asks for
# under 1 s.
#
#   bench/import_bench.sh [LINES]      (LINES defaults to 50)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
ensure_packages time  # /usr/bin/time
build build Release
lines=${1:-50}
repeat=${REPEAT:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
crontab=$work/bench.crontab
{
  echo "# A generated crontab: $lines lines."
  echo "MAILTO=ops@example.com"
  schedules=("*/5 * * * *" "0 * * * *" "30 2 * * *" "15 3 * * mon-fri" "0 0,12 * * *" "@daily" "@hourly"
             "*/15 9-17 * * 1-5" "45 23 * * sun" "0 */4 * * *" "10 1 * * 6" "@weekly")
  n=2
  i=0
  while [ "$n" -lt "$lines" ]; do
    s=${schedules[$((i % ${#schedules[@]}))]}
    case $((i % 6)) in
      0) echo "$s flock -n /var/lock/l$((i % 5)).lock /usr/local/bin/job$i.sh --run" ;;
      1) echo "$s flock -w 60 /var/lock/l$((i % 5)).lock nice -n 10 /usr/local/bin/job$i" ;;
      2) echo "$s /usr/local/bin/report-$i.py > /var/log/r$i.log 2>&1" ;;
      3) echo "# job $i"; n=$((n + 1)); echo "$s cd /srv/app$i && ./run.sh" ;;
      *) echo "$s /usr/bin/job-$i --all" ;;
    esac
    n=$((n + 1))
    i=$((i + 1))
  done
} >"$crontab"
echo "crontab: $(wc -l <"$crontab") lines, $(grep -c '^[0-9*@]' "$crontab") jobs"
best=""
for _ in $(seq 1 "$repeat"); do
  start=$(date +%s.%N)
  ./build/interlock import crontab "$crontab" -o "$work/out.sched" --quiet
  end=$(date +%s.%N)
  secs=$(awk "BEGIN{printf \"%.4f\", $end - $start}")
  if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
done
echo "import crontab: best of $repeat runs: $best s (whole process); wrote $(wc -l <"$work/out.sched") lines"
/usr/bin/time -f "one more run: %e s elapsed, %M KB peak memory" ./build/interlock import crontab "$crontab" -o "$work/out.sched" --quiet
