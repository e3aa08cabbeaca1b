#!/usr/bin/env bash
# Every test of the project, on a fresh machine too. Ends with "N passed, N failed".
#   1. Python: operator, sampler and export checks (pytest)
#   2. training smoke: a few steps on tiny crops -> export -> PyTorch reference outputs
#   3. TypeScript unit tests (vitest), incl. parity with the fixtures and the smoke model
#   4. end to end in Debian's Chromium (Playwright), WebGPU included
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || { echo "dependency install failed"; echo "0 passed, 1 failed"; exit 1; }
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
PY=/usr/bin/python3
reports=$(mktemp -d)
smoke=$(mktemp -d)

echo "== 1/4 python checks"
$PY -m pytest -q training --junitxml="$reports/pytest.xml" -p no:cacheprovider; pytest_rc=$?

echo "== 2/4 training smoke run"
smoke_failed=0
timeout 900 $PY training/train.py --degradation blur --run-dir "$smoke/run" --out "$smoke/model" \
  --steps 30 --finetune-steps 4 --crop 32 --finetune-crop 48 --batch 8 --finetune-batch 4 \
  --channels 8,16 --packages ukui-wallpapers --pyramid 48,64 --log-every 10 --threads 1 \
  --lr 3e-3 --lr-final 1e-3 --warmup 1 --ema 0 || smoke_failed=1
if [ $smoke_failed -eq 0 ]; then
  $PY training/make_fixtures.py --model "$smoke/model" --out "$smoke/model/outputs.json" --image-size 32 || smoke_failed=1
fi
[ $smoke_failed -eq 0 ] && echo "smoke model exported to $smoke/model"

echo "== 3/4 unit tests (vitest)"
SMOKE_MODEL_DIR="$smoke/model" npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/vitest.json"; vitest_rc=$?

echo "== 4/4 end-to-end (Playwright, Debian Chromium)"
npx vite build --logLevel warn; build_rc=$?
# A free port, so a server left running on the usual one cannot stop the run.
export E2E_PORT=$(node -e "const s = require('net').createServer().listen(0, () => { console.log(s.address().port); s.close(); })")
PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/playwright.json" npx playwright test --reporter=list,json; playwright_rc=$?

node scripts/count-results.mjs "$reports" smoke=$smoke_failed pytest=$pytest_rc vitest=$vitest_rc build=$build_rc playwright=$playwright_rc
result=$?
rm -rf "$smoke"
exit $result
