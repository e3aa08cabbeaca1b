/**
 * Lighthouse (pinned: 12.2.3, the last for Node 20) on the built page, as a phone (its default:
 * a mid-range device with a 4× slower CPU and a slow network) and as a desktop: an independent audit
 * of what the first seconds cost on the page's main thread. Part of `npm run bench` (bench-browser.ts);
 * alone: `npx vite preview --port 4183 & npx tsx scripts/lighthouse.ts http://localhost:4183/`.
 */
import { launch } from 'chrome-launcher';
import lighthouse, { type Flags } from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { pathToFileURL } from 'node:url';
import { CHROMIUM_ARGS, findChromium } from './chromium';

export interface LighthouseFigures {
  formFactor: 'mobile' | 'desktop';
  performance: number | null;
  totalBlockingTimeMs: number | null;
  cumulativeLayoutShift: number | null;
  largestContentfulPaintMs: number | null;
  firstContentfulPaintMs: number | null;
  /** Main-thread tasks of 50 ms or more (Lighthouse's list, in its slowed-down time). */
  longTasksMs: number[];
  /** Script evaluation on the main thread, ms (Lighthouse's mainthread-work-breakdown). */
  scriptMs: number | null;
  /** Lighthouse's own error where an audit gave no score (then it is tried once more); absent when it scored. */
  error?: string;
}

interface Audit {
  numericValue?: number;
  details?: { items?: { duration?: number; group?: string }[] };
}

export async function runLighthouse(url: string): Promise<LighthouseFigures[]> {
  const chromePath = findChromium();
  if (!chromePath) throw new Error('no Chromium for Lighthouse');
  const chrome = await launch({ chromePath, chromeFlags: ['--headless=new', ...CHROMIUM_ARGS] });
  try {
    const out: LighthouseFigures[] = [];
    for (const formFactor of ['mobile', 'desktop'] as const) {
      const flags: Flags = { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] };
      const audit = async () => {
        const result = await lighthouse(url, flags, formFactor === 'desktop' ? desktopConfig : undefined);
        if (!result) throw new Error('Lighthouse returned nothing');
        return result;
      };
      // A run without a score (NO_FCP and the like, seen once on a busy machine) is tried again, and its error kept.
      let result = await audit();
      let firstError: string | undefined;
      if (typeof result.lhr.categories.performance?.score !== 'number') {
        firstError = result.lhr.runtimeError?.message ?? 'no score';
        result = await audit();
      }
      const error = typeof result.lhr.categories.performance?.score === 'number' ? undefined : (result.lhr.runtimeError?.message ?? 'no score');
      const audits = result.lhr.audits as Record<string, Audit>;
      const value = (id: string) => audits[id]?.numericValue ?? null;
      const score = result.lhr.categories.performance?.score;
      out.push({
        formFactor,
        performance: typeof score === 'number' ? Math.round(score * 100) : null,
        totalBlockingTimeMs: value('total-blocking-time'),
        cumulativeLayoutShift: value('cumulative-layout-shift'),
        largestContentfulPaintMs: value('largest-contentful-paint'),
        firstContentfulPaintMs: value('first-contentful-paint'),
        longTasksMs: (audits['long-tasks']?.details?.items ?? []).map((i) => Math.round(i.duration ?? 0)).filter((d) => d >= 50),
        scriptMs: audits['mainthread-work-breakdown']?.details?.items?.find((i) => i.group === 'scriptEvaluation')?.duration ?? null,
        ...(error ? { error } : firstError ? { error: `first try: ${firstError}; the second scored` } : {}),
      });
    }
    return out;
  } finally {
    chrome.kill();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.argv[2] ?? 'http://localhost:4183/';
  for (const f of await runLighthouse(url)) console.log(JSON.stringify(f));
}
