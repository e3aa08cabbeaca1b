/**
 * The one place that finds the browser the tests, benchmarks and screenshots drive:
 * CHROMIUM_PATH if set, else Debian's Chromium (Playwright cannot download its own browsers
 * on our machines), else Playwright's own browser where one is installed. See docs/design.md.
 *   tsx scripts/chromium.ts   prints the path, or exits 1 saying what to install
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type LaunchOptions } from 'playwright';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Headless as root, on a closed network: no sandbox, no background connections. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const WEBGPU_ARGS: readonly string[] = ['--enable-unsafe-webgpu', '--enable-features=Vulkan'];

/** The browser's executable, or null when none is installed. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : null;
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  const own = chromium.executablePath();
  return own && existsSync(own) ? own : null;
}

/** Launch options for Playwright; with `webgpu`, WebGPU is switched on (software adapter without a GPU). */
export function chromiumLaunchOptions({ webgpu = false }: { webgpu?: boolean } = {}): LaunchOptions {
  return { executablePath: findChromium() ?? undefined, args: [...CHROMIUM_ARGS, ...(webgpu ? WEBGPU_ARGS : [])] };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const path = findChromium();
  if (path) console.log(path);
  else {
    console.error(
      process.env.CHROMIUM_PATH
        ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`
        : `no Chromium: install Debian's (apt-get install chromium) or set CHROMIUM_PATH`,
    );
    process.exit(1);
  }
}
