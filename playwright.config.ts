import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './scripts/chromium';

const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${port}/`,
    permissions: ['clipboard-read', 'clipboard-write'],
    viewport: { width: 1280, height: 1000 },
    // The service worker would take over requests that tests intercept (page.route does not see
    // its fetches): allowed only where it is the subject (e2e/offline.spec.ts).
    serviceWorkers: 'block',
    // A run plays as it is computed unless the visitor prefers reduced motion: tests that move the
    // timeline themselves ask for that; e2e/firstSeconds.spec.ts checks the motion.
    reducedMotion: 'reduce',
  },
  webServer: {
    command: `npx vite preview --port ${port} --strictPort`,
    url: `http://localhost:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: /webgpu\.spec\.ts/,
      use: { browserName: 'chromium', launchOptions: chromiumLaunchOptions() },
    },
    {
      name: 'chromium-webgpu',
      testMatch: /webgpu\.spec\.ts/,
      use: { browserName: 'chromium', launchOptions: chromiumLaunchOptions({ webgpu: true }) },
    },
  ],
});
