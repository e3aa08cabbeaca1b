import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

/**
 * The built app (dist/) served as `vite preview` would, except that a file whose path
 * `stall(path)` picks is sent half-way and then held open: a flaky network or a proxy that
 * stops mid-body. For the reliability tests.
 */
export async function startStallServer(stall: (path: string) => boolean): Promise<{ url: string; server: Server }> {
  const root = join(import.meta.dirname, '..', 'dist');
  const held: import('node:http').ServerResponse[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    const size = statSync(file).size;
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': String(size),
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-store',
    });
    if (stall(path)) {
      createReadStream(file, { start: 0, end: Math.floor(size / 2) }).on('data', (c) => res.write(c));
      held.push(res); // never ended
      return;
    }
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.on('close', () => held.forEach((r) => r.destroy()));
  return { url: `http://localhost:${port}/`, server };
}
