#!/usr/bin/env bash
# Training throughput of Glow and RealNVP-image on MNIST (their default sizes, batch 32) as one process with one
# thread, one process with two threads, and an MPI job of two ranks with one thread each. The configurations run
# interleaved, round after round, so that the load of a shared machine falls on each alike; each run is timed over
# steps 25..100 from its metrics.csv (startup, data loading and the first steps left out) and then stopped.
# Usage: bench/distributed-throughput.sh [ROUNDS] [DATA_DIR]      (prints one line per run, then the medians)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
data=${2:-../shared/data}
cli=src/Tractable.Cli/bin/Release/net10.0/Tractable.Cli.dll
dotnet build -c Release src/Tractable.Cli >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results="$work/results"

time_run() { # model ranks threads -> steps per second over steps 25..100
  local model=$1 ranks=$2 threads=$3 run="$work/run" rate
  rm -rf "$run"
  local cmd=(dotnet "$cli" train --model "$model" --data mnist --data-dir "$data" --steps 100000 --eval-every 100000
             --checkpoint-every 0 --threads "$threads" --out "$run")
  if [ "$ranks" -gt 1 ]; then setsid mpirun.mpich -np "$ranks" "${cmd[@]}" >"$work/log" 2>&1 &
  else setsid "${cmd[@]}" >"$work/log" 2>&1 & fi
  local pid=$!
  until [ -f "$run/metrics.csv" ] && grep -q '^100,' "$run/metrics.csv"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
    sleep 1
  done
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  awk -F, '$1 == 25 { t0 = $5 } $1 == 100 { t1 = $5 } END { printf "%.3f", 75 / (t1 - t0) }' "$run/metrics.csv"
}

for round in $(seq 1 "$rounds"); do
  for model in glow realnvp-image; do
    for config in "1 1" "1 2" "2 1"; do
      read -r ranks threads <<<"$config"
      rate=$(time_run "$model" "$ranks" "$threads")
      echo "round $round  $model  ${ranks} rank(s) x ${threads} thread(s)  $rate steps/s  load $(cut -d' ' -f1 /proc/loadavg)"
      echo "$model $ranks $threads $rate" >>"$results"
    done
  done
done
echo
echo "model          ranks x threads   steps/s (median)   examples/s (batch 32)"
for model in glow realnvp-image; do
  for config in "1 1" "1 2" "2 1"; do
    read -r ranks threads <<<"$config"
    awk -v m="$model" -v r="$ranks" -v t="$threads" '$1 == m && $2 == r && $3 == t { print $4 }' "$results" | sort -g |
      awk -v m="$model" -v r="$ranks" -v t="$threads" '{ v[NR] = $1 } END {
        med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%-14s %d x %d             %8.2f           %8.1f\n", m, r, t, med, med * 32 }'
  done
done
