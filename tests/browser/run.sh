#!/usr/bin/env bash
# The HTML trace viewer in headless Chromium (viewer_test.js), on the KB lasso (`delivered`).
#   tests/browser/run.sh INTERLOCK_BINARY [SCREENSHOT]
# Installs Debian's chromium and, once, playwright-core from the npm registry (into build-browser/).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
interlock=$1
screenshot=${2:-$(mktemp -d)/trace-viewer.png}
source "$root/scripts/common.sh"
ensure_packages chromium
# Node.js and npm: the machine's own if it has them (this one has NodeSource's), else Debian's.
command -v npm >/dev/null || ensure_packages nodejs npm
# npm installs into build-browser/ (outside the source tree, like the other build folders).
modules="$root/build-browser"
if [ ! -d "$modules/node_modules/playwright-core" ]; then
  mkdir -p "$modules"
  cp "$here/package.json" "$here/package-lock.json" "$modules/"
  (cd "$modules" && npm ci --no-audit --no-fund --silent >/dev/null)
fi
export NODE_PATH="$modules/node_modules"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
spec="$root/specs/msmail/original.sched"
# The KB lasso: `delivered` fails by a cycle, 1,600 steps, most of them ticks.
"$interlock" check "$spec" --prop delivered --trace html --quiet >"$work/kb.html" 2>/dev/null || [ $? -eq 1 ]
"$interlock" check "$spec" --prop delivered --trace json --quiet >"$work/kb.itf.json" 2>/dev/null || [ $? -eq 1 ]
"$interlock" check "$spec" --prop delivered >"$work/kb.txt" 2>/dev/null || [ $? -eq 1 ]
timeline=$(grep -cE '^ +[0-9]+ (start|action|bcast|sync|wait) ' "$work/kb.txt" || true)
steps=$(sed -nE 's/^  trace: ([0-9]+) steps .*/\1/p' "$work/kb.txt")
machines=$(grep -cE '^machine ' "$spec")
node "$here/viewer_test.js" "$work/kb.html" "$work/kb.itf.json" "$machines" "$timeline" "$steps" "$screenshot"
