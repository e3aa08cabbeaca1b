import { expect, test as base } from '@playwright/test';

/**
 * Every e2e test runs with this check: no request of the page or its worker leaves the
 * page's own origin (models, WASM, fonts and samples are all served by us; nothing is
 * uploaded). data: and blob: URLs never reach the network.
 */
export const test = base.extend<{ sameOriginOnly: void }>({
  sameOriginOnly: [
    async ({ context }, use) => {
      const foreign: string[] = [];
      context.on('request', (request) => {
        const url = new URL(request.url());
        if (url.protocol === 'data:' || url.protocol === 'blob:') return;
        let pageUrl: string | null = null;
        try {
          pageUrl = request.frame().page().url();
        } catch {
          // A service worker's request has no frame: it must stay on this machine's test servers.
        }
        const local = ['localhost', '127.0.0.1'].includes(url.hostname);
        const pageOrigin = pageUrl && pageUrl !== 'about:blank' ? new URL(pageUrl).origin : null;
        if (!local || (pageOrigin !== null && request.isNavigationRequest() === false && url.origin !== pageOrigin)) foreign.push(request.url());
      });
      await use();
      expect(foreign, "requests that left the page's origin").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
