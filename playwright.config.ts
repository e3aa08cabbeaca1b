import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Debian's Chromium where it exists (Playwright cannot download browsers here);
// CHROMIUM_PATH overrides; elsewhere Playwright's own browser is used.
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const commonArgs = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
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
      use: { browserName: 'chromium', launchOptions: { executablePath, args: commonArgs } },
    },
    {
      name: 'chromium-webgpu',
      testMatch: /webgpu\.spec\.ts/,
      use: { browserName: 'chromium', launchOptions: { executablePath, args: [...commonArgs, '--enable-unsafe-webgpu', '--enable-features=Vulkan'] } },
    },
  ],
});
