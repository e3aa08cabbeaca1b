#!/usr/bin/env bash
# Trains one shipped model from scratch and writes everything the app ships for it:
# public/models/<id>/ (model.json, shards, MODEL_CARD.md, loss curve, examples) and the
# parity fixture of the shipped weights. Logs and checkpoints go to training/runs/<id>/
# (never committed); rerunning resumes from the checkpoint (and re-exports if finished).
#   bash training/train_model.sh blur         # ~75 min on a 2-core CPU machine
#   bash training/train_model.sh decolorize   # ~50 min (41 of them training)
#   bash training/train_model.sh snow         # ~45 min
#   bash training/train_model.sh pixelate     # ~50 min
#   bash training/train_model.sh inpaint      # ~55 min
#   bash training/train_model.sh noise        # ~60 min
#   bash training/train_model.sh animorph     # ~45 min
#   bash training/train_model.sh generate     # ~15 min (Fashion-MNIST, for the Generate mode)
set -euo pipefail
{  # parsed whole before it runs: bash otherwise reads a script as it goes, and an edit during an hour-long run breaks it
cd "$(dirname "$0")/.."
ID=${1:?usage: train_model.sh <degradation id | generate>}
# Weights are stored as uint8 where the measured loss was negligible (see each model card).
# SNAPSHOTS: earlier checkpoints of the same run (about 3 % and 15 % of it), shipped as <id>-early/ and <id>-mid/.
# S2D=2: space-to-depth at full resolution, 2.2× less time per step in the browser (docs/design.md).
SNAPSHOTS=""
S2D=1
case "$ID" in
  blur) STEPS=20000; FINETUNE=1500; CHANNELS=48,96,128,128; S2D=2; QUANT=float16; SNAPSHOTS=early:645,mid:3225 ;;
  decolorize) STEPS=15000; FINETUNE=1500; CHANNELS=48,96,128,128; S2D=2; QUANT=float16 ;;  # uint8 cost improved 0.37 dB
  pixelate) STEPS=12000; FINETUNE=1200; CHANNELS=48,96,128,128; S2D=2; QUANT=uint8 ;;
  inpaint) STEPS=14000; FINETUNE=1400; CHANNELS=48,96,128,128; S2D=2; QUANT=float16; SNAPSHOTS=early:462,mid:2310 ;;
  animorph) STEPS=12000; FINETUNE=1200; CHANNELS=48,96,128,128; S2D=2; QUANT=uint8 ;;
  snow) STEPS=10000; FINETUNE=1000; CHANNELS=48,96,128,128; S2D=2; QUANT=float16 ;;
  noise) STEPS=18000; FINETUNE=1800; CHANNELS=48,96,128,128; S2D=2; QUANT=float16 ;;  # uint8 cost direct 0.46 dB; a 2 200-step S2D trial was 4 dB worse (BENCHMARKS.md)
  generate) STEPS=6000; FINETUNE=0; CHANNELS=24,48,96; QUANT=uint8 ;;
  *) echo "no training recipe for '$ID'"; exit 2 ;;
esac
bash scripts/install-deps.sh
dpkg -s python3-matplotlib >/dev/null 2>&1 || apt-get install -y -qq python3-matplotlib >/dev/null || true  # loss curve only
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
PY=/usr/bin/python3
RUN=training/runs/$ID
MODEL=public/models/$ID
mkdir -p "$RUN"
if [ "$ID" = generate ]; then
  $PY training/train.py --degradation blur-to-flat --dataset fashion-mnist --run-dir "$RUN" --out "$MODEL" --channels $CHANNELS \
    --steps $STEPS --finetune-steps 0 --crop 32 --batch 64 --quantization $QUANT --log-every 20 2>&1 | tee -a "$RUN/stdout.log"
  $PY training/generation_report.py --model "$MODEL" --run-dir "$RUN"
  $PY training/make_fixtures.py --model "$MODEL" --image-size 32 --out "fixtures/parity/shipped-$ID.json" --steps 1,10,20 --sampler-start 3
  exit 0
fi
$PY training/train.py --degradation "$ID" --run-dir "$RUN" --out "$MODEL" --channels $CHANNELS --space-to-depth $S2D --steps $STEPS --finetune-steps $FINETUNE \
  --quantization $QUANT --log-every 20 --snapshots "$SNAPSHOTS" 2>&1 | tee -a "$RUN/stdout.log"
T=$($PY -c "import sys; sys.path.insert(0, 'training'); from degradations import make_degradation; print(make_degradation('$ID').T)")
$PY training/evaluate.py --model "$MODEL" --steps "$((T / 2)),$T" --json "$RUN/eval.json" --examples "$MODEL/heldout_examples.jpg"
if [ "$ID" = animorph ]; then  # z from outside the pool, for the card
  $PY training/evaluate.py --model "$MODEL" --steps "$((T / 2)),$T" --json "$RUN/eval_unseen_mix.json" --unseen-mix
fi
cp "$RUN/eval.json" "$MODEL/eval.json"  # committed: EVAL.md is made from these (training/eval_report.py)
for pair in ${SNAPSHOTS//,/ }; do
  SNAP="$MODEL-${pair%%:*}"
  $PY training/evaluate.py --model "$SNAP" --steps "$((T / 2)),$T" --json "$SNAP/eval.json"
  $PY training/make_fixtures.py --model "$SNAP" --image public/samples/ladybird.png --image-size 64 \
    --out "fixtures/parity/shipped-$(basename "$SNAP").json" --steps "1,$((T / 2)),$T" --sampler-start 3
done
$PY training/quantization.py --run-dir "$RUN" --json "$RUN/quantization.json"
$PY training/model_card.py --model "$MODEL" --run-dir "$RUN"
$PY training/make_fixtures.py --model "$MODEL" --image public/samples/ladybird.png --image-size 64 \
  --out "fixtures/parity/shipped-$ID.json" --steps "1,$((T / 2)),$T" --sampler-start 3
exit
}
