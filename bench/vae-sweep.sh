#!/usr/bin/env bash
# The K sweep of docs/vae.md: the default MLP VAE on binarized MNIST with no flow and with K = 2, 8, 16 planar, radial
# and IAF posterior steps, every run on the same budget (STEPS optimizer steps of batch 100, one thread), each one
# evaluated on the 10,000 test images (-ELBO and the importance-weighted NLL with k = 100) by `train` itself.
# Usage: bench/vae-sweep.sh [STEPS] [RUNS_DIR] [DATA_DIR]
# Environment: POSTERIORS (default "planar radial iaf"), KS (default "2 8 16"), and FLAGS, added to every run's
# `train` (the PixelCNN-decoder rows: FLAGS="--decoder gated-pixel-cnn --kl-warmup 200 --eval-limit 1000 --iw-samples 20").
# Then:  dotnet run -c Release --project bench/Tractable.Bench -- vae-sweep-plot RUNS_DIR docs/vae-sweep.png
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-10000}
runs=${2:-runs/vae-sweep}
data=${3:-../shared/data}
cli=${TRACTABLE_CLI:-src/Tractable.Cli/bin/Release/net10.0/Tractable.Cli}
[ -n "${TRACTABLE_CLI:-}" ] || dotnet build -c Release src/Tractable.Cli >/dev/null
mkdir -p "$runs"
train() { # name, then the posterior options
  local name=$1; shift
  [ -f "$runs/$name/metrics.json" ] && return 0
  "$cli" train --model vae --data mnist-binarized --data-dir "$data" "$@" --steps "$steps" --eval-every 2000 \
    --checkpoint-every 2000 --threads 1 ${FLAGS:-} --overwrite --out "$runs/$name" >"$runs/$name.log" 2>&1
  echo "$name: $(grep -o '"nll_nats": [0-9.]*' "$runs/$name/metrics.json")"
}
train none-0 --posterior none
for k in ${KS:-2 8 16}; do
  for posterior in ${POSTERIORS:-planar radial iaf}; do
    train "$posterior-$k" --posterior "$posterior" --flow-steps "$k"
  done
done
