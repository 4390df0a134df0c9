#!/usr/bin/env bash
# meshsim's front door. Two verbs, both idempotent:
#   ./meshsim.sh demo   install what is missing, build (Release), run scenarios/music_streaming.json
#   ./meshsim.sh test   install what is missing, build (Release, tests on), run the whole CTest suite
# A second run skips the installs and rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")"

# Debian 12 packages the build and the tests need, by name.
PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libboost-dev nlohmann-json3-dev libsqlite3-dev libcpp-httplib-dev libssl-dev zlib1g-dev
  catch2 libbenchmark-dev librdkafka-dev libjemalloc-dev libfmt-dev libcli11-dev
  python3 python3-avro
)
BUILD_DIR=${MESHSIM_BUILD_DIR:-build}

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  echo "meshsim: installing ${missing[*]}" >&2
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

configure_and_build() {
  local werror=OFF
  [[ "${CI:-}" == "true" ]] && werror=ON
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMESHSIM_WERROR="$werror" "$@" >/dev/null
  cmake --build "$BUILD_DIR" --parallel "$(nproc)"
}

case "${1:-}" in
  demo)
    install_missing
    configure_and_build -DMESHSIM_TESTS=OFF -DMESHSIM_BENCH=OFF
    shift
    exec "$BUILD_DIR/apps/meshsim" run scenarios/music_streaming.json "$@"
    ;;
  test)
    install_missing
    configure_and_build -DMESHSIM_TESTS=ON -DMESHSIM_BENCH=ON
    cd "$BUILD_DIR"
    exec ctest --output-on-failure --timeout 600 -j "$(nproc)"
    ;;
  *)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac
