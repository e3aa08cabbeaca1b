// Sums the runners' reports into one closing line: "N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Usage: count-results.mjs DIR smoke=0|1 pytest=RC vitest=RC build=RC playwright=RC
const [dir, ...codes] = process.argv.slice(2);
const rc = Object.fromEntries(codes.map((c) => c.split('=')).map(([k, v]) => [k, Number(v)]));
let passed = 0;
let failed = 0;
const missing = [];
const failedBy = {};

const pytest = join(dir, 'pytest.xml');
if (existsSync(pytest)) {
  const xml = readFileSync(pytest, 'utf8');
  const attr = (name) => [...xml.matchAll(new RegExp(`<testsuite [^>]*?${name}="(\\d+)"`, 'g'))].reduce((s, m) => s + Number(m[1]), 0);
  const bad = attr('failures') + attr('errors');
  passed += attr('tests') - bad - attr('skipped');
  failed += bad;
  failedBy.pytest = bad;
} else missing.push('pytest');

const vitest = join(dir, 'vitest.json');
if (existsSync(vitest)) {
  const r = JSON.parse(readFileSync(vitest, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  failedBy.vitest = r.numFailedTests;
} else missing.push('vitest');

const pw = join(dir, 'playwright.json');
if (existsSync(pw)) {
  const s = JSON.parse(readFileSync(pw, 'utf8')).stats;
  passed += s.expected + (s.flaky ?? 0);
  failed += s.unexpected;
  failedBy.playwright = s.unexpected;
} else missing.push('playwright');

for (const m of missing) {
  console.log(`${m}: no report (the runner did not start)`);
  failed += 1;
  failedBy[m] = 1;
}
// The smoke training run counts as one test.
if (rc.smoke === 0) passed += 1;
else failed += 1;
// A runner that exited non-zero without reporting a failed test (it could not start, a
// build broke) counts as one failure, so the closing line never hides it.
for (const [runner, code] of Object.entries(rc)) {
  if (runner === 'smoke' || code === 0 || (failedBy[runner] ?? 0) > 0) continue;
  console.log(`${runner}: exited with ${code} without a failed test in its report`);
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
