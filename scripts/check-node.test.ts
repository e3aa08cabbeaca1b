import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const declared: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node;
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string } }> };
const { satisfies } = createRequire(import.meta.url)('./check-node.cjs') as { satisfies(version: string, range: string): boolean };

describe('the declared Node.js version', () => {
  it('fits every locked package: each version we accept is one they all accept', () => {
    const misfits = Object.entries(lock.packages)
      .filter(([, p]) => typeof p.engines?.node === 'string')
      .filter(([, p]) => !semver.subset(declared, p.engines!.node!))
      .map(([name, p]) => `${name.replace(/^node_modules\//, '')} needs ${p.engines!.node}`);
    expect(misfits).toEqual([]);
  });

  it('rejects the Node.js of Debian 12 (18) and accepts the one in .nvmrc', () => {
    expect(semver.satisfies('18.19.0', declared)).toBe(false);
    const nvmrc = readFileSync(join(root, '.nvmrc'), 'utf8').trim();
    expect(semver.intersects(nvmrc, declared)).toBe(true);
  });

  it('is checked by start-up code that agrees with semver', () => {
    const versions = ['v10.0.0', '18.19.1', '20.0.0', '20.18.9', '20.19.0', '20.20.2', '21.7.0', '22.12.0', '22.13.0', '23.5.0', '24.0.0', '25.1.2'];
    for (const range of [declared, '^20.19.0 || >=22.12.0', '>=18', '20', '^8.16.0 || ^10.6.0 || >=11.0.0']) {
      for (const v of versions) expect(satisfies(v, range), `${v} in ${range}`).toBe(semver.satisfies(v, range));
    }
  });
});
