#!/usr/bin/env bash
# Trains one shipped model from scratch and writes everything the app ships for it:
# public/models/<id>/ (model.json, shards, MODEL_CARD.md, loss_curve.png) and the parity
# fixture of the shipped weights. Logs and checkpoints go to training/runs/<id>/ (never
# committed); rerunning resumes from the checkpoint.
#   bash training/train_model.sh blur         # ~75 min on a 2-core CPU machine
#   bash training/train_model.sh decolorize   # ~20 min
set -euo pipefail
cd "$(dirname "$0")/.."
ID=${1:?usage: train_model.sh <degradation id>}
case "$ID" in
  blur) STEPS=14000; FINETUNE=1500 ;;
  decolorize) STEPS=4000; FINETUNE=400 ;;
  *) echo "no training recipe for '$ID'"; exit 2 ;;
esac
bash scripts/install-deps.sh
dpkg -s python3-matplotlib >/dev/null 2>&1 || apt-get install -y -qq python3-matplotlib >/dev/null || true  # loss curve only
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
PY=/usr/bin/python3
RUN=training/runs/$ID
MODEL=public/models/$ID
mkdir -p "$RUN"
$PY training/train.py --degradation "$ID" --run-dir "$RUN" --out "$MODEL" --steps $STEPS --finetune-steps $FINETUNE --log-every 20 2>&1 | tee -a "$RUN/stdout.log"
$PY training/evaluate.py --model "$MODEL" --json "$RUN/eval.json"
$PY training/quantization.py --run-dir "$RUN" --json "$RUN/quantization.json"
$PY training/model_card.py --model "$MODEL" --run-dir "$RUN"
T=$($PY -c "import sys; sys.path.insert(0, 'training'); from degradations import make_degradation; print(make_degradation('$ID').T)")
$PY training/make_fixtures.py --model "$MODEL" --image public/samples/ladybird.png --image-size 64 \
  --out "fixtures/parity/shipped-$ID.json" --steps "1,$((T / 2)),$T" --sampler-start 3
