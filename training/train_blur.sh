#!/usr/bin/env bash
# Trains the shipped blur model from scratch and writes everything the app ships:
# public/models/blur/ (model.json, shards, MODEL_CARD.md, loss_curve.png) and the parity
# fixture of the shipped weights. About 75 minutes on a 2-core CPU machine.
# Logs and checkpoints go to training/runs/blur/ (not committed); rerunning resumes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
command -v dpkg >/dev/null && { dpkg -s python3-matplotlib >/dev/null 2>&1 || apt-get install -y -qq python3-matplotlib >/dev/null || true; }
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
PY=/usr/bin/python3
RUN=training/runs/blur
MODEL=public/models/blur
mkdir -p "$RUN"
$PY training/train.py --degradation blur --run-dir "$RUN" --out "$MODEL" --steps 14000 --finetune-steps 1500 --log-every 20 2>&1 | tee -a "$RUN/stdout.log"
$PY training/evaluate.py --model "$MODEL" --json "$RUN/eval.json"
$PY training/quantization.py --run-dir "$RUN" --json "$RUN/quantization.json"
$PY training/model_card.py --model "$MODEL" --run-dir "$RUN"
$PY training/make_samples.py
$PY training/make_fixtures.py --model "$MODEL" --image public/samples/ladybird.png --image-size 64 --out fixtures/parity/shipped-blur.json --steps 5,20,40 --sampler-start 3
