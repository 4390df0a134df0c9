#!/usr/bin/env bash
# meshsim's front door. Two verbs, both idempotent:
#   ./meshsim.sh demo   install what is missing, build (Release), run scenarios/music_streaming.json
#   ./meshsim.sh test   install what is missing, build (Release, tests on), run the whole CTest
#                       suite; then build it again with ASan + UBSan (build-asan/) and run it again
# A second run skips the installs and rebuilds only what changed. And two for the routine:
#   ./meshsim.sh tsan   the suites that use threads under ThreadSanitizer (build-tsan/)
#   ./meshsim.sh fuzz   the parsers' libFuzzer targets (clang; fuzz/run.sh, its flags after it)
set -euo pipefail
cd "$(dirname "$0")"

# Debian 12 packages the build and the tests need, by name.
PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libboost-dev nlohmann-json3-dev libsqlite3-dev libcpp-httplib-dev libssl-dev zlib1g-dev
  catch2 libbenchmark-dev librdkafka-dev libjemalloc-dev libfmt-dev libcli11-dev
  python3 python3-avro
)
# Only for `fuzz`: clang and its libFuzzer runtime.
FUZZ_PACKAGES=(clang libclang-rt-14-dev)
BUILD_DIR=${MESHSIM_BUILD_DIR:-build}

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}" "$@"; do
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

# A build under sanitizers in its own folder: -O1 with assertions on and line tables (-g1, for the
# reports' file:line), no -Werror (the Release build has checked the warnings; sanitizers change
# what GCC warns about). Any report fails.
sanitized_build() {
  local dir=$1 sanitize=$2
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO='-O1 -g1' \
    -DMESHSIM_SANITIZE="$sanitize" -DMESHSIM_TESTS=ON -DMESHSIM_BENCH=OFF -DMESHSIM_WERROR=OFF >/dev/null
  cmake --build "$dir" --parallel "$(nproc)"
}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}

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
    ctest --test-dir "$BUILD_DIR" --output-on-failure --timeout 600 -j "$(nproc)"
    # The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer.
    sanitized_build build-asan address,undefined
    exec ctest --test-dir build-asan --output-on-failure --timeout 900 -j "$(nproc)"
    ;;
  tsan)
    install_missing
    sanitized_build build-tsan thread
    # The suites with threads: the ordered worker, the real clock's runtime, the recommender's
    # worker, and the harness on the real clock.
    exec ctest --test-dir build-tsan --output-on-failure --timeout 900 -j "$(nproc)" \
      -R 'ordered_worker|runtime|realtime_recommender|Realtime|real clock|--clock real'
    ;;
  fuzz)
    install_missing "${FUZZ_PACKAGES[@]}"
    shift
    exec fuzz/run.sh "$@"
    ;;
  *)
    echo "usage: $0 demo|test|tsan|fuzz" >&2
    exit 2
    ;;
esac
