import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelLoadError, type FileSource } from '../model/loader';
import { directorySource } from '../model/nodeSource';
import { jointSampler, runToEnd } from '../samplers';
import { maxAbsDiff, operatorParityError, randomImage, REPO_ROOT, useCpuBackend } from '../testing/fixtures';
import { AnimorphDegradation } from './animorph';
import { createDegradation } from './index';
import { loadMixPool, poolField, poolIndex, type MixPool } from './mixPool';

const POOL_DIR = join(REPO_ROOT, 'public', 'models', 'animorph');
let pool: MixPool;

beforeAll(async () => {
  await useCpuBackend();
  pool = await loadMixPool(directorySource(POOL_DIR));
});

/** The pool's files, with one of them replaced. */
function alteredSource(name: string, bytes: Uint8Array): FileSource {
  const real = directorySource(POOL_DIR);
  return { location: real.location, read: async (n, ...rest) => (n === name ? (bytes.slice().buffer as ArrayBuffer) : real.read(n, ...rest)) };
}

describe('the animorph pool', () => {
  it('holds the pictures pool.json lists, at 128×128', () => {
    expect(pool.size).toBe(128);
    expect(pool.pictures.length).toBeGreaterThanOrEqual(2);
    expect(pool.pixels.byteLength).toBe(pool.pictures.length * 128 * 128 * 3);
    for (const p of pool.pictures) expect(p.title && p.author && p.license).toBeTruthy();
  });

  it('refuses an altered or truncated pool.bin, and a pool.json that is not one', async () => {
    const raw = new Uint8Array(readFileSync(join(POOL_DIR, 'pool.bin')));
    const altered = raw.slice();
    altered[1000] = altered[1000]! ^ 0xff;
    await expect(loadMixPool(alteredSource('pool.bin', altered))).rejects.toThrow(/SHA-256/);
    await expect(loadMixPool(alteredSource('pool.bin', raw.subarray(0, raw.length - 7)))).rejects.toThrow(/truncated/);
    await expect(loadMixPool(alteredSource('pool.json', new TextEncoder().encode('{"file":"pool.bin"}')))).rejects.toBeInstanceOf(ModelLoadError);
    await expect(loadMixPool(alteredSource('pool.json', new TextEncoder().encode('<!doctype html>')))).rejects.toThrow(/not valid JSON/);
  });

  it('is needed to make the degradation', () => {
    expect(() => createDegradation('animorph', { seed: 1 })).toThrow(/pool/);
    expect(createDegradation('animorph', { seed: 1, pool }).id).toBe('animorph');
  });
});

describe('AnimorphDegradation', () => {
  it('is the identity at t = 0 and the seed’s picture alone at t = T, whatever the image', () => {
    const D = new AnimorphDegradation(pool, 6);
    const a = randomImage(128, 128, 1);
    expect(maxAbsDiff(D.apply(a, 0), a)).toBe(0);
    const z = tf.tensor4d(poolField(pool, 6, 128, 128), [1, 128, 128, 3]);
    expect(maxAbsDiff(D.apply(a, D.T), z)).toBeLessThan(1e-3);
    // At the working size z is the stored picture itself: seed 6 shows picture 6 mod N.
    const k = poolIndex(pool, 6);
    const first = pool.pixels[k * 128 * 128 * 3]!;
    expect(z.dataSync()[0]).toBeCloseTo(first / 127.5 - 1, 6);
  });

  it('the seed chooses the picture; a smaller image sees a window of it placed by the seed', () => {
    const x = randomImage(64, 64, 3);
    const n = pool.pictures.length;
    expect(maxAbsDiff(new AnimorphDegradation(pool, 1).apply(x, 40), new AnimorphDegradation(pool, 1).apply(x, 40))).toBe(0);
    expect(maxAbsDiff(new AnimorphDegradation(pool, 1).apply(x, 40), new AnimorphDegradation(pool, 2).apply(x, 40))).toBeGreaterThan(0.3);
    // Same picture (seed ≡ 1 mod N), another window.
    expect(maxAbsDiff(new AnimorphDegradation(pool, 1).apply(x, 40), new AnimorphDegradation(pool, 1 + n).apply(x, 40))).toBeGreaterThan(0.1);
  });

  it('the samplers never read the picture that made x_t: they estimate it, and with the true x0 they end there', () => {
    const D = new AnimorphDegradation(pool, 5);
    const x0 = randomImage(32, 32, 4);
    const xs = D.apply(x0, 30);
    for (const field of (D as unknown as { fields: Map<string, Float32Array> }).fields.values()) field.fill(Number.NaN);
    const oracle = () => tf.clone(x0);
    for (const kind of ['naive', 'improved'] as const) expect(maxAbsDiff(runToEnd(D, oracle, xs, 30, kind), x0)).toBeLessThan(1e-4);
    const poor = (x: tf.Tensor4D) => tf.mul<tf.Tensor4D>(x, 0.5);
    const naive = runToEnd(D, poor, xs, 30, 'naive');
    expect(Number.isFinite(naive.dataSync()[0])).toBe(true);
    expect(maxAbsDiff(naive, runToEnd(D, poor, xs, 30, 'improved'))).toBeLessThan(1e-5);
    expect([...jointSampler(D, poor, xs, 3, ['naive', 'improved'])]).toHaveLength(4);
  });

  it('matches the PyTorch operator within 1e-4 (training/animorph.py fixtures, two seeds)', () => {
    const r = operatorParityError('animorph', (seed, x, t) => new AnimorphDegradation(pool, seed).apply(x, t));
    expect(r.T).toBe(new AnimorphDegradation(pool).T);
    expect(r.checked).toBeGreaterThanOrEqual(8);
    expect(r.error).toBeLessThan(1e-4);
  });
});
