import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';
// With extensions: Vite's coming native config loader (Node) needs them; TypeScript maps .js to .ts.
import { countFiles, modelIndexPlugin } from './src/core/model/modelIndexBuild.js';
import { MODELS_CACHE } from './src/core/model/offlineModels.js';

/** The model folders: what the model index (and "Make every model available offline") lists. */
const MODELS_DIR = fileURLToPath(new URL('./public/models', import.meta.url));

// Cross-origin isolation lets tfjs-wasm use its threaded SIMD build (see docs/design.md).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Nothing but our own origin: scripts, workers, WASM, models, fonts. 'wasm-unsafe-eval' lets
 * WebAssembly compile (tfjs-wasm); inline styles are allowed because KaTeX's markup carries
 * style attributes. The README lists the same policy for static hosts.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = {
  ...isolationHeaders,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(self), microphone=(), geolocation=()',
};

/** The policy as a <meta> tag in the built page, for static hosts that send no headers (frame-ancestors needs the header). */
function cspMeta(): Plugin {
  return {
    name: 'csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", '') }, injectTo: 'head-prepend' },
      { tag: 'meta', attrs: { name: 'referrer', content: 'no-referrer' }, injectTo: 'head-prepend' },
    ],
  };
}

/**
 * Three fixes to tfjs-wasm's threaded build, applied to the worker bundle (docs/design.md, "Threads"):
 * - it hands its pthread workers the glue as `factory.toString()`, which only works while the
 *   bundle keeps that function self-contained: minified, it refers to renamed helpers outside it
 *   and the threads die with "ReferenceError". They get the package's own glue file instead,
 *   verbatim, from our origin (so the policy's script-src 'self' covers it; a Blob would not be);
 * - it caps its threads at half of navigator.hardwareConcurrency (1 on 2 cores), read once at
 *   start-up; the glue asks `self.coldDiffusionWasmLogicalCores` first, which the worker sets
 *   to twice the count it chose (src/core/threads.ts);
 * - it starts a pool of 8 pthread workers and waits for all of them before it is ready; the glue asks
 *   `self.coldDiffusionWasmPoolSize` first, which the worker sets to the count it chose.
 */
export function threadedWasmGlue(): Plugin {
  const patches: { file: string; from: RegExp; to: string; prefix?: string }[] = [
    {
      file: '/@tensorflow/tfjs-backend-wasm/dist/backend_wasm.js',
      from: /new Blob\(\[`var WasmBackendModuleThreadedSimd = ` \+\s*wasmFactoryThreadedSimd\.toString\(\)\],\s*\{ type: 'text\/javascript' \}\)/,
      to: 'new URL(threadedGlueUrl, self.location.href).href',
      prefix: "import threadedGlueUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?url';\n",
    },
    {
      file: '/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js',
      from: /return navigator\["hardwareConcurrency"\]\}/,
      to: 'return self.coldDiffusionWasmLogicalCores || navigator["hardwareConcurrency"]}',
    },
    {
      // The pool of pthread workers, every one loaded before the module is ready: 8 by default, where 2 threads need
      // one (XNNPACK's pool runs on the calling thread too), so 8 workers started at every start, competing with the page's.
      file: '/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js',
      from: /var pthreadPoolSize=8;/,
      to: 'var pthreadPoolSize=self.coldDiffusionWasmPoolSize||8;',
    },
  ];
  return {
    name: 'tfjs-wasm-threaded-glue',
    transform(code, id) {
      // Exact module ids only: the glue's ?url import is a different module (its address).
      const mine = patches.filter((p) => id.replace(/\\/g, '/').endsWith(p.file));
      if (mine.length === 0) return null;
      let patched = code;
      for (const patch of mine) {
        if (!patch.from.test(patched)) this.error(`${patch.file} changed: update threadedWasmGlue in vite.config.ts`);
        patched = (patch.prefix ?? '') + patched.replace(patch.from, patch.to);
      }
      return { code: patched, map: null };
    },
  };
}

/**
 * Offline and installable (Workbox through vite-plugin-pwa): the app, its WASM files, fonts and
 * samples are precached at the first visit; models are cached as they are used, network first,
 * so a changed model file is fetched again whenever the network answers, and the cache serves
 * only when it does not (offline). A new build replaces the old service worker at once.
 */
function offline(): Plugin[] {
  return VitePWA({
    registerType: 'autoUpdate',
    // Registered by the page once its first run is done (src/ui/serviceWorker.ts), not at load.
    injectRegister: false,
    manifest: {
      name: 'Cold Diffusion Lab',
      short_name: 'Cold Diffusion',
      description: 'Cold diffusion in your browser: naive vs improved sampling undo a degradation step by step.',
      theme_color: '#2f6fdb',
      background_color: '#f6f7f9',
      display: 'standalone',
      start_url: '.',
      icons: [
        { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      ],
    },
    workbox: {
      globPatterns: ['**/*.{js,css,html,wasm,svg,png,woff2,webmanifest}'],
      globIgnores: ['models/**'],
      maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      cleanupOutdatedCaches: true,
      clientsClaim: true,
      skipWaiting: true,
      runtimeCaching: [
        {
          urlPattern: ({ url }) => url.pathname.includes('/models/'),
          handler: 'NetworkFirst',
          // The cap evicts the least recently used entries, so it must hold every file the page can
          // fetch from models/ (the files of every model, which "Make every model available offline"
          // fetches, plus model cards and their pictures: 66 files today, close to the former fixed
          // 80, which a few more models would have overflowed, silently dropping files of a model
          // the page said was available offline). Counted from the folder at build time; twice
          // that leaves room for files of an earlier version under other names until they age out.
          options: { cacheName: MODELS_CACHE, expiration: { maxEntries: 2 * countFiles(MODELS_DIR) } },
        },
      ],
    },
  });
}

/**
 * The entry starts the worker, then imports the page's components (src/main.tsx): a dynamic import, which the
 * browser would only find once the entry has run. Named in the HTML, it downloads beside the entry.
 */
function preloadPageChunk(): Plugin {
  let base = '/';
  return {
    name: 'preload-page-chunk',
    apply: 'build',
    configResolved: (config) => void (base = config.base),
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunk = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/src/ui/mountApp.tsx'));
        return chunk ? [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `${base}${chunk.fileName}` }, injectTo: 'head' }] : [];
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), cspMeta(), preloadPageChunk(), modelIndexPlugin(MODELS_DIR), offline()],
  // The dev server injects inline scripts (hot reload), so it gets only the isolation headers.
  server: { headers: isolationHeaders },
  preview: { headers: securityHeaders },
  // The dev server's pre-bundled, unminified copy needs no fix; the built worker does.
  worker: { format: 'es', plugins: () => [threadedWasmGlue()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
