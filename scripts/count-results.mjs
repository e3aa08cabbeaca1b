// Sums the runners' reports into one closing line: "N passed, N failed[, N skipped]".
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Usage: count-results.mjs DIR skipped=N smoke=RC|skip pytest=RC|skip vitest=RC build=RC playwright=RC|skip
// "skip": the stage did not run for a stated reason (missing system packages); its tests are
// in skipped=N, counted by the caller.
const [dir, ...codes] = process.argv.slice(2);
const rc = Object.fromEntries(codes.map((c) => c.split('=')));
let passed = 0;
let failed = 0;
let skipped = Number(rc.skipped ?? 0);
delete rc.skipped;
const missing = [];
const failedBy = {};
const ran = (runner) => rc[runner] !== 'skip';

const pytest = join(dir, 'pytest.xml');
if (existsSync(pytest)) {
  const xml = readFileSync(pytest, 'utf8');
  const attr = (name) => [...xml.matchAll(new RegExp(`<testsuite [^>]*?${name}="(\\d+)"`, 'g'))].reduce((s, m) => s + Number(m[1]), 0);
  const bad = attr('failures') + attr('errors');
  passed += attr('tests') - bad - attr('skipped');
  failed += bad;
  skipped += attr('skipped');
  failedBy.pytest = bad;
} else if (ran('pytest')) missing.push('pytest');

const vitest = join(dir, 'vitest.json');
if (existsSync(vitest)) {
  const r = JSON.parse(readFileSync(vitest, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  failedBy.vitest = r.numFailedTests;
} else missing.push('vitest');

const pw = join(dir, 'playwright.json');
if (existsSync(pw)) {
  const s = JSON.parse(readFileSync(pw, 'utf8')).stats;
  passed += s.expected + (s.flaky ?? 0);
  failed += s.unexpected;
  skipped += s.skipped ?? 0;
  failedBy.playwright = s.unexpected;
} else if (ran('playwright')) missing.push('playwright');

for (const m of missing) {
  console.log(`${m}: no report (the runner did not start)`);
  failed += 1;
  failedBy[m] = 1;
}
// The smoke training run counts as one test.
if (rc.smoke === '0') passed += 1;
else if (ran('smoke')) failed += 1;
// A runner that exited non-zero without reporting a failed test (it could not start, a
// build broke) counts as one failure, so the closing line never hides it.
for (const [runner, code] of Object.entries(rc)) {
  if (runner === 'smoke' || code === '0' || code === 'skip' || (failedBy[runner] ?? 0) > 0) continue;
  console.log(`${runner}: exited with ${code} without a failed test in its report`);
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
