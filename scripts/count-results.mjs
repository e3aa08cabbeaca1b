// Sums the runners' reports into one closing line: "N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, smokeFailed] = process.argv.slice(2);
let passed = 0;
let failed = 0;
const missing = [];

const pytest = join(dir, 'pytest.xml');
if (existsSync(pytest)) {
  const xml = readFileSync(pytest, 'utf8');
  const attr = (name) => [...xml.matchAll(new RegExp(`<testsuite [^>]*?${name}="(\\d+)"`, 'g'))].reduce((s, m) => s + Number(m[1]), 0);
  const bad = attr('failures') + attr('errors');
  passed += attr('tests') - bad - attr('skipped');
  failed += bad;
} else missing.push('pytest');

const vitest = join(dir, 'vitest.json');
if (existsSync(vitest)) {
  const r = JSON.parse(readFileSync(vitest, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
} else missing.push('vitest');

const pw = join(dir, 'playwright.json');
if (existsSync(pw)) {
  const s = JSON.parse(readFileSync(pw, 'utf8')).stats;
  passed += s.expected + (s.flaky ?? 0);
  failed += s.unexpected;
} else missing.push('playwright');

// The smoke training run counts as one test.
if (smokeFailed === '0') passed += 1;
else failed += 1;
for (const m of missing) {
  console.log(`${m}: no report (the runner did not start)`);
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
