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
#   bash training/train_model.sh generate-faces  # ~3 h (faces, 64×64; resumable: rerun to go on)
#   bash training/train_model.sh own '<link value of own=>' [steps]  # a transform made in the page:
#       its restorer file, training/runs/own-<key>/restorer.zip, opened in the page by drop or picker
#       (default 3000 steps, about 40 min; rerun with more steps to go on)
set -euo pipefail
{  # parsed whole before it runs: bash otherwise reads a script as it goes, and an edit during an hour-long run breaks it
cd "$(dirname "$0")/.."
ID=${1:?usage: train_model.sh <degradation id | generate | generate-faces | own '<link value>' [steps]>}
# The recipe (steps, network, weight storage, earlier checkpoints) is each degradation's own: the SPEC
# in training/<id>.py (training/degradation_spec.py says what each number is); generate's is blur_to_flat.py's.
bash scripts/install-deps.sh
dpkg -s python3-matplotlib >/dev/null 2>&1 || apt-get install -y -qq python3-matplotlib >/dev/null || true  # loss curve only
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
PY=/usr/bin/python3
RUN=training/runs/$ID
MODEL=public/models/$ID
if [ "$ID" = generate ] || [ "$ID" = generate-faces ]; then
  if [ "$ID" = generate ]; then OP=blur-to-flat DATASET=fashion-mnist SIZE=32
  else OP=blur-to-flat-64 DATASET=faces SIZE=64
    [ -f training/data/faces/test.u8 ] || npx tsx scripts/render-faces.ts --out training/data/faces  # ~2 min, from npm packages
  fi
  TRAIN_ARGS=$($PY training/degradations.py recipe $OP)
  T=$($PY training/degradations.py T $OP)
  mkdir -p "$RUN"
  $PY training/train.py --degradation $OP --dataset $DATASET --run-dir "$RUN" --out "$MODEL" $TRAIN_ARGS 2>&1 | tee -a "$RUN/stdout.log"
  $PY training/generation_report.py --model "$MODEL" --run-dir "$RUN" --dataset $DATASET
  $PY training/make_fixtures.py --model "$MODEL" --image-size $SIZE --out "fixtures/parity/shipped-$ID.json" --steps "1,$((T / 2)),$T" --sampler-start 3
  exit 0
fi
if [ "$ID" = own ]; then
  TRANSFORM=${2:?usage: train_model.sh own '<the link value of own=, from the page'"'"'s address>' [steps]}
  STEPS=${3:-3000}
  KEY=$(printf '%s' "$TRANSFORM" | sha256sum | cut -c1-12)
  RUN=training/runs/own-$KEY
  mkdir -p "$RUN"
  # The page's large network (src/core/own/trainer.ts, TRAINING_RECIPES.large), the offline recipe of the
  # shipped restorers (L1, cosine learning rate, EMA) on the same wallpapers, their held-out pictures unseen.
  $PY training/train.py --degradation own --transform "$TRANSFORM" --run-dir "$RUN" --out "$RUN/model" \
    --channels 32,64,96,96 --space-to-depth 2 --steps "$STEPS" --finetune-steps $((STEPS / 10)) --lr 1e-3 --lr-final 5e-5 \
    --quantization float32 --export-every 0 2>&1 | tee -a "$RUN/stdout.log"
  $PY training/own_model_file.py --model "$RUN/model" --out "$RUN/restorer.zip"
  exit 0
fi
TRAIN_ARGS=$($PY training/degradations.py recipe "$ID")  # an unknown id ends the script here (exit 2)
SNAPSHOTS=$($PY training/degradations.py snapshots "$ID")
mkdir -p "$RUN"
$PY training/train.py --degradation "$ID" --run-dir "$RUN" --out "$MODEL" $TRAIN_ARGS --snapshots "$SNAPSHOTS" 2>&1 | tee -a "$RUN/stdout.log"
T=$($PY training/degradations.py T "$ID")
$PY training/evaluate.py --model "$MODEL" --steps "$((T / 2)),$T" --json "$RUN/eval.json" --examples "$MODEL/heldout_examples.jpg"
if [ "$($PY training/degradations.py mixes-picture "$ID")" = yes ]; then  # z from outside the pool, for the card
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
