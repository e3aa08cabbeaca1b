import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeTensor, maxAbsDiff, PARITY_DIR, readJson, useCpuBackend, type EncodedTensor } from '../testing/fixtures';
import { BLOCK_KINDS, CURVES, param } from './blocks';
import { OwnDegradation } from './ownDegradation';
import { encodeTransform, parseTransform } from './ownTransform';

/** fixtures/parity/own.json, written by training/make_fixtures.py (--own-only) from training/own_transform.py. */
interface OwnFixture {
  cases: { link: string; seed: number; input: EncodedTensor; outputs: Record<string, EncodedTensor> }[];
}

const TOLERANCE = 1e-4;

describe('own transform: TypeScript against PyTorch (training/own_transform.py)', () => {
  beforeAll(useCpuBackend);

  const fx = readJson<OwnFixture>(join(PARITY_DIR, 'own.json'));

  it('the fixture covers every block kind, every curve and both mask modes, on non-square pictures', () => {
    const blocks = fx.cases.flatMap((c) => parseTransform(c.link).transform.blocks);
    expect(new Set(blocks.map((b) => b.kind))).toEqual(new Set(BLOCK_KINDS));
    expect(new Set(blocks.map((b) => b.curve))).toEqual(new Set(CURVES));
    expect(new Set(blocks.filter((b) => b.kind === 'mask').map((b) => param(b, 'growth')))).toEqual(new Set([0, 1]));
    expect(fx.cases.some((c) => c.input.shape[1] !== c.input.shape[2])).toBe(true);
    expect(fx.cases.some((c) => parseTransform(c.link).transform.blocks.length === 3)).toBe(true);
  });

  it('every link value reads back as written, with no notice', () => {
    for (const c of fx.cases) {
      const { transform, notices } = parseTransform(c.link);
      expect(notices, c.link).toEqual([]);
      expect(encodeTransform(transform)).toBe(c.link);
    }
  });

  it(`D(x, t) matches PyTorch to ${TOLERANCE} for every case and step`, () => {
    const byKind = new Map<string, number>();
    let worst = 0;
    let checked = 0;
    for (const c of fx.cases) {
      const { transform } = parseTransform(c.link);
      const D = new OwnDegradation(transform, c.seed);
      const x = decodeTensor(c.input);
      let error = 0;
      for (const [t, expected] of Object.entries(c.outputs)) {
        const want = decodeTensor(expected);
        const got = D.apply(x, Number(t));
        const e = maxAbsDiff(got, want);
        if (e > TOLERANCE) console.log(`  ${c.link.slice(0, 60)} [${c.input.shape.join('×')}] t = ${t}: ${e.toExponential(2)}`);
        error = Math.max(error, e);
        checked++;
        tf.dispose([got, want]);
      }
      x.dispose();
      console.log(`own parity ${error.toExponential(2)}  ${c.link.length > 70 ? `${c.link.slice(0, 40)}…` : c.link} [${c.input.shape.join('×')}], seed ${c.seed}`);
      for (const b of transform.blocks) byKind.set(b.kind, Math.max(byKind.get(b.kind) ?? 0, error));
      worst = Math.max(worst, error);
    }
    console.log(`own parity: max |TS − PyTorch| = ${worst.toExponential(2)} over ${checked} outputs; per block kind (max over the cases using it): ${[...byKind].map(([k, e]) => `${k} ${e.toExponential(1)}`).join(', ')}`);
    expect(checked).toBeGreaterThan(80);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  });
});
