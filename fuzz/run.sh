#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each until it has made RUNS
# executions or spent SECONDS, whichever comes first, two at a time on a 2-core machine; then
# writes what each did (executions, speed, coverage, corpus, crashes) to fuzz/RESULTS.md.
#
#   fuzz/run.sh [--runs N] [--seconds S] [TARGET...]     (defaults: 10,000,000 runs, 1,200 s)
#
# Each target starts from its seed corpus (fuzz/seeds/TARGET and the shipped files it reads:
# scenarios, data sets) and keeps what it found in build-fuzz/corpus/TARGET for the next run.
# A crash, a leak or an input that takes over 10 s is kept as build-fuzz/artifacts/TARGET-*;
# the script then exits 1. Once fixed, copy the input into fuzz/regressions/TARGET/ (named for
# what it found): CTest replays every file there in every build.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=10000000
SECONDS_CAP=1200
TARGETS=()
while (($#)); do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --seconds) SECONDS_CAP=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) TARGETS+=("$1"); shift ;;
  esac
done
# The slowest first, so the fast ones fill in beside them.
ALL=(scenario_loader_fuzz json_source_fuzz json_schema_fuzz avro_schema_fuzz avro_datum_fuzz
     csv_fuzz partition_expression_fuzz personalize_filter_fuzz glue_wire_fuzz)
((${#TARGETS[@]})) || TARGETS=("${ALL[@]}")

BUILD=build-fuzz
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1" -DMESHSIM_FUZZ=ON -DMESHSIM_TESTS=OFF \
  -DMESHSIM_BENCH=OFF >/dev/null
cmake --build "$BUILD" --target "${TARGETS[@]}"

# The shipped files each target reads, beside its own seeds.
shipped() {
  case "$1" in
    scenario_loader_fuzz|json_source_fuzz)
      find scenarios -name '*.json' ! -name schema.json ;;
    csv_fuzz) find scenarios/data -name '*.csv' ;;  # their first 4 KiB: see max_len
  esac
}

run_one() {
  local target=$1 corpus=$BUILD/corpus/$1 log=$BUILD/logs/$1.log
  mkdir -p "$corpus" "$BUILD/artifacts" "$BUILD/logs"
  [[ -d fuzz/seeds/${target%_fuzz} ]] && cp -n fuzz/seeds/"${target%_fuzz}"/* "$corpus"/
  local f
  while read -r f; do
    [[ -n $f ]] && head -c 4096 "$f" >"$corpus/shipped_$(basename "$(dirname "$f")")_$(basename "$f")"
  done < <(shipped "$target")
  local status=0 start
  start=$(date +%s)
  # Inputs up to 4 KiB: room for a whole scenario's structure, and fast enough for millions.
  "$BUILD/fuzz/$target" "$corpus" -runs="$RUNS" -max_total_time="$SECONDS_CAP" -timeout=10 \
    -max_len=4096 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$BUILD/artifacts/$target-" \
    >"$log" 2>&1 || status=$?
  echo "$target exit $status" >>"$log"
  echo "$target seconds $(($(date +%s) - start))" >>"$log"
}

# One a core; the next starts when any ends.
running=0
for t in "${TARGETS[@]}"; do
  if ((running >= $(nproc))); then wait -n || true; running=$((running - 1)); fi
  run_one "$t" &
  running=$((running + 1))
done
wait

/usr/bin/python3 fuzz/results.py "$BUILD" "${TARGETS[@]}"
