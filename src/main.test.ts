import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The modules the page's first script loads before anything lazy: src/main.tsx and its static imports,
 * followed through our own files (type-only imports and `import()` left out, as the bundler leaves them).
 */
function staticImports(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop()!;
    if (files.includes(file)) continue;
    files.push(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (!spec.startsWith('.')) {
        packages.add(spec);
        continue;
      }
      const base = resolve(dirname(file), spec);
      const found = ['', '.ts', '.tsx', '/index.ts'].map((ext) => base + ext).find((p) => existsSync(p) && !p.endsWith('.css') && !p.endsWith('.json'));
      if (found && /\.tsx?$/.test(found)) todo.push(found);
    }
  }
  return { files, packages };
}

describe("the page's first script", () => {
  const main = fileURLToPath(new URL('./main.tsx', import.meta.url));
  const { files, packages } = staticImports(main);

  it('follows the imports it should (a check of the walk itself)', () => {
    expect(files.some((f) => f.endsWith('state/viewState.ts'))).toBe(true);
    expect(packages.has('zustand')).toBe(true);
  });

  it('holds no TensorFlow.js: the network runs in the worker, and evaluating tfjs-core on the page cost a phone-class CPU about 0.3 s (issue 28)', () => {
    expect([...packages].filter((p) => p.startsWith('@tensorflow/'))).toEqual([]);
  });
});
