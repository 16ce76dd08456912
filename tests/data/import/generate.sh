#!/usr/bin/env bash
# Writes tests/data/import/generated/*.sched: what `interlock import` makes of the inputs beside
# this script. tests/cli/import/import_test.cpp imports them again and compares the text, checks
# that each loads, and tests/fuzz/run.sh starts from them. Run it from anywhere after a change to
# the importer's output, then read the diff:
#   tests/data/import/generate.sh [path/to/interlock]
set -euo pipefail
cd "$(dirname "$0")/../../.."
interlock=${1:-build/interlock}
d=tests/data/import
out=$d/generated
mkdir -p "$out"
gen() {  # gen NAME ARGS...
  local name=$1
  shift
  "$interlock" import "$@" --quiet -o "$out/$name.sched"
}
gen shared_lock crontab $d/shared_lock.crontab
gen shared_lock_durations crontab $d/shared_lock.crontab --duration backup=20min..50min \
  --duration vacuum_db=5min..15min --duration mail=30s..2min --name 9=mail --resource spool=backup,mail
gen features crontab $d/features.crontab
gen cron_d crontab $d/cron.d/backups
gen locked crontab $d/check/locked.crontab --duration dump_db=10min..20min --duration vacuum_db=5min..10min
gen unlocked crontab $d/check/unlocked.crontab --duration dump_db=10min..20min --duration vacuum_db=5min..10min \
  --resource db=dump_db,vacuum_db
gen skipping crontab $d/check/skipping.crontab --duration dump_db=10min..20min --duration vacuum_db=5min..10min
gen systemd_nightly systemd $d/systemd/nightly.timer $d/systemd/reindex.timer $d/systemd/reindex.service \
  --duration nightly=5min..20min --duration reindex=1min..3min
gen systemd_lonely systemd $d/systemd/lonely.timer
