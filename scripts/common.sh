# Shared by run.sh, test.sh and the CI scripts: install Debian packages when missing, and build.
# Quiet and quick when everything is already there.

# passwd: useradd, for the native-code cache tests' second user (tests/support/other_user.cpp).
# libopenmpi-dev, openmpi-bin: interlock-mpi, the search over the processes of an MPI job.
INTERLOCK_PACKAGES=(cmake make g++ pkg-config libboost-graph-dev libgtest-dev googletest libz3-dev nlohmann-json3-dev libcli11-dev passwd
                    libopenmpi-dev openmpi-bin)
# What the tests need besides: SPIN, for the cross-check of tests/solver/spin_oracle_test.cpp;
# systemd's systemd-analyze, for tests/model/schedules/systemd_oracle_test.cpp.
INTERLOCK_TEST_PACKAGES=(spin groff-base systemd)

ensure_packages() {
  local missing=()
  local pkg
  for pkg in "${INTERLOCK_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# build DIR BUILD_TYPE [extra cmake args...]: configures once, then builds incrementally; the
# build's output is shown only when it fails.
build() {
  local dir=$1 type=$2
  shift 2
  local log="$dir.log"
  mkdir -p "$dir"
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@" >"$log" 2>&1 || { cat "$log" >&2; return 1; }
  fi
  cmake --build "$dir" -j2 >"$log" 2>&1 || { grep -E 'error|Error' "$log" | head -40 >&2; return 1; }
}
