#!/usr/bin/env bash
# Every test of the project, on a fresh machine too. Ends with "N passed, N failed[, N skipped]".
#   1. Python: operator, sampler and export checks (pytest)
#   2. training smoke: a few steps on tiny crops -> export -> PyTorch reference outputs
#   3. TypeScript unit tests (vitest), incl. parity with the fixtures and the smoke model
#   4. end to end in Debian's Chromium (Playwright), WebGPU included
# A stage whose system packages are missing (not root, no sudo: see install-deps.sh) is
# skipped with the reason, and its tests are counted as skipped. Exit 0 when nothing failed.
set -uo pipefail
cd "$(dirname "$0")/.."
node scripts/check-node.cjs || { echo "0 passed, 1 failed"; exit 1; }
bash scripts/install-deps.sh || { echo "dependency install failed (see above)"; echo "0 passed, 1 failed"; exit 1; }
TCMALLOC=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
[ -e "$TCMALLOC" ] && export LD_PRELOAD=$TCMALLOC
PY=/usr/bin/python3
reports=$(mktemp -d)
smoke=$(mktemp -d)
skips=()

has_python=0
$PY -c "import torch, numpy, PIL, pytest" 2>/dev/null && has_python=1
python_needs="Debian packages python3-torch python3-numpy python3-pil python3-pytest"

echo "== 1/4 python checks"
if [ $has_python -eq 1 ]; then
  $PY -m pytest -q training --junitxml="$reports/pytest.xml" -p no:cacheprovider; pytest_rc=$?
else
  pytest_rc=skip
  n=$(cat training/test_*.py | grep -c '^def test_')
  skips+=("$n python checks (test functions; parametrised cases not counted): need $python_needs")
fi

echo "== 2/4 training smoke run"
smoke_rc=skip
if [ $has_python -eq 1 ]; then
  smoke_rc=0
  timeout 900 $PY training/train.py --degradation blur --run-dir "$smoke/run" --out "$smoke/model" \
    --steps 30 --finetune-steps 4 --crop 32 --finetune-crop 48 --batch 8 --finetune-batch 4 \
    --channels 8,16 --packages ukui-wallpapers --pyramid 48,64 --log-every 10 --threads 1 \
    --lr 3e-3 --lr-final 1e-3 --warmup 1 --ema 0 || smoke_rc=1
  if [ $smoke_rc -eq 0 ]; then
    $PY training/make_fixtures.py --model "$smoke/model" --out "$smoke/model/outputs.json" --image-size 32 || smoke_rc=1
  fi
  [ $smoke_rc -eq 0 ] && echo "smoke model exported to $smoke/model"
else
  skips+=("1 training smoke run (and the vitest check of its model): needs $python_needs")
fi

echo "== 3/4 unit tests (vitest)"
smoke_dir=()
[ "$smoke_rc" = 0 ] && smoke_dir=(SMOKE_MODEL_DIR="$smoke/model")
env "${smoke_dir[@]}" npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/vitest.json"; vitest_rc=$?

echo "== 4/4 end-to-end (Playwright, Debian Chromium)"
npx vite build --logLevel warn; build_rc=$?
if chromium=$(npx tsx scripts/chromium.ts); then
  echo "browser: $chromium"
  # A free port, so a server left running on the usual one cannot stop the run.
  export E2E_PORT=$(node -e "const s = require('net').createServer().listen(0, () => { console.log(s.address().port); s.close(); })")
  PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/playwright.json" npx playwright test --reporter=list,json; playwright_rc=$?
else
  playwright_rc=skip
  n=$(npx playwright test --list 2>/dev/null | sed -n 's/^Total: \([0-9]*\) tests\? in .*/\1/p')
  skips+=("${n:-all} end-to-end tests: need a Chromium (Debian package chromium, or CHROMIUM_PATH)")
fi

if [ ${#skips[@]} -gt 0 ]; then
  echo "== skipped"
  printf '  %s\n' "${skips[@]}"
fi
skipped=0
for s in "${skips[@]}"; do n=${s%% *}; [[ $n =~ ^[0-9]+$ ]] && skipped=$((skipped + n)); done
node scripts/count-results.mjs "$reports" skipped=$skipped smoke=$smoke_rc pytest=$pytest_rc vitest=$vitest_rc build=$build_rc playwright=$playwright_rc
result=$?
rm -rf "$smoke" "$reports"
exit $result
