import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, randomImage, useCpuBackend } from '../testing/fixtures';
import { BLOCK_KINDS, defaultBlock, type Block } from './blocks';
import { blockAverageMatrix, colourValues, diskKernel, gaussianKernel2d, lineKernel, maskField, OwnDegradation, swirlWarp, transformWarning } from './ownDegradation';
import { emptyMask, maskPreset, type OwnTransform } from './ownTransform';

const single = (block: Block, T = 10, mask = maskPreset('circle')): OwnTransform => ({ T, blocks: [block], mask });
const sum = (a: Float32Array) => a.reduce((x, y) => x + y, 0);

describe('OwnDegradation', () => {
  beforeAll(useCpuBackend);

  it('every block: D(x, 0) = x, changes the picture at T, keeps the shape, and is the same on a second call', () => {
    const x = randomImage(32, 32, 3);
    for (const kind of BLOCK_KINDS) {
      const D = new OwnDegradation(single(defaultBlock(kind)), 4);
      const atZero = D.apply(x, 0);
      const atT = D.apply(x, 10);
      const again = D.apply(x, 10);
      expect(maxAbsDiff(atZero, x), kind).toBe(0);
      expect(atT.shape, kind).toEqual(x.shape);
      expect(maxAbsDiff(atT, x), kind).toBeGreaterThan(0.05);
      expect(maxAbsDiff(atT, again), kind).toBe(0);
      tf.dispose([atZero, atT, again]);
    }
    x.dispose();
  });

  it('kernels sum to one and have the shape asked for', () => {
    const g = gaussianKernel2d(4, 1, 0, 12);
    expect(sum(g)).toBeCloseTo(1, 5);
    // σ across the x axis at angle 0: wider along x than along y.
    const k = 25;
    const row = g.slice(12 * k, 13 * k);
    const column = Float32Array.from({ length: k }, (_, i) => g[i * k + 12]!);
    expect(sum(row.slice(0, 8))).toBeGreaterThan(10 * sum(column.slice(0, 8)));
    const line = lineKernel(9, 90, 5);
    expect(sum(line)).toBeCloseTo(1, 5);
    // A vertical streak: only the middle column is lit.
    for (let y = 0; y < 11; y++) for (let x = 0; x < 11; x++) if (x !== 5) expect(line[y * 11 + x]).toBeCloseTo(0, 6);
    const disk = diskKernel(3, 3);
    expect(sum(disk)).toBeCloseTo(1, 5);
    expect(disk[0]).toBe(0); // the corner lies outside the disk
  });

  it('pixelate averages whole blocks; fade at full strength is the colour; darken reaches black', () => {
    const m = blockAverageMatrix(3, 7);
    expect(Array.from(m.slice(0, 7)).map((v) => +v.toFixed(4))).toEqual([0.3333, 0.3333, 0.3333, 0, 0, 0, 0]);
    expect(Array.from(m.slice(6 * 7))).toEqual([0, 0, 0, 0, 0, 0, 1]); // the last, shorter block
    const x = randomImage(16, 16, 1);
    const fade = new OwnDegradation(single({ kind: 'fade', curve: 'linear', values: [100, 0xff0000] })).apply(x, 10);
    Array.from(fade.dataSync().slice(0, 3)).forEach((v, c) => expect(v).toBeCloseTo(colourValues(0xff0000)[c]!, 6));
    const dark = new OwnDegradation(single({ kind: 'darken', curve: 'linear', values: [100] })).apply(x, 10);
    expect(Math.max(...dark.dataSync())).toBeCloseTo(-1, 6);
    tf.dispose([x, fade, dark]);
  });

  it('posterize leaves the number of levels asked for at T', () => {
    const x = randomImage(16, 16, 2);
    const y = new OwnDegradation(single({ kind: 'posterize', curve: 'linear', values: [3] })).apply(x, 10);
    expect(new Set(Array.from(y.dataSync()).map((v) => v.toFixed(4))).size).toBeLessThanOrEqual(3);
    tf.dispose([x, y]);
  });

  it('the swirl leaves the corners and a zero turn in place', () => {
    const warp = swirlWarp(360, 0.5, 9, 9);
    expect(Array.from(warp.slice(0, 8))).toEqual([0, 1, 9, 10, 1, 0, 0, 0]); // pixel (0, 0) reads itself
    const still = swirlWarp(0, 1, 5, 5);
    for (let i = 0; i < 25; i++) {
      expect(still[8 * i]).toBe(i);
      expect(still[8 * i + 4]).toBeCloseTo(1, 6);
    }
  });

  it('the painted mask: covers what was painted at T, grows from its middle, nothing where nothing is painted', () => {
    const full = maskField(maskPreset('circle'), 1, 64, 64);
    expect(full[32 * 64 + 32]).toBe(1);
    expect(full[0]).toBe(0);
    const half = maskField(maskPreset('circle'), 0.5, 64, 64);
    expect(half[32 * 64 + 32]).toBe(1);
    expect(sum(half)).toBeLessThan(0.6 * sum(full));
    expect(sum(maskField(emptyMask(), 1, 16, 16))).toBe(0);
    // The painted area at 64×64 is near the circle's (radius 7.5 cells of 2 pixels).
    expect(sum(full)).toBeGreaterThan(0.9 * Math.PI * 15 ** 2);
    expect(sum(full)).toBeLessThan(1.15 * Math.PI * 15 ** 2);
  });

  it('the noise field is fixed by the seed, and another seed gives another field', () => {
    const x = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    const D = new OwnDegradation(single({ kind: 'noise', curve: 'linear', values: [50] }), 1);
    const a = D.apply(x, 10);
    const b = new OwnDegradation(D.transform, 1).apply(x, 10);
    const c = D.withSeed(2).apply(x, 10);
    expect(maxAbsDiff(a, b)).toBe(0);
    expect(maxAbsDiff(a, c)).toBeGreaterThan(0.1);
    expect(D.seeded).toBe(true);
    tf.dispose([x, a, b, c]);
  });

  it('blocks apply in order, and a blur on a picture smaller than its kernel still works', () => {
    const x = randomImage(8, 8, 5);
    const fadeThenDarken = new OwnDegradation({ T: 10, blocks: [{ kind: 'fade', curve: 'linear', values: [100, 0xffffff] }, { kind: 'darken', curve: 'linear', values: [50] }], mask: emptyMask() }).apply(x, 10);
    const darkenThenFade = new OwnDegradation({ T: 10, blocks: [{ kind: 'darken', curve: 'linear', values: [50] }, { kind: 'fade', curve: 'linear', values: [100, 0xffffff] }], mask: emptyMask() }).apply(x, 10);
    expect(fadeThenDarken.dataSync()[0]).toBeCloseTo(0, 5);
    expect(darkenThenFade.dataSync()[0]).toBeCloseTo(1, 5);
    const blurred = new OwnDegradation(single({ kind: 'gauss', curve: 'linear', values: [10, 10, 0] })).apply(x, 10);
    expect(Number.isFinite(blurred.dataSync()[0])).toBe(true);
    tf.dispose([x, fadeThenDarken, darkenThenFade, blurred]);
  });

  it('says when a transform is a poor one to learn: nothing changed at all, or nothing at t = 1; a good one gets no warning', async () => {
    const x = randomImage(32, 32, 11);
    const of = (blocks: Block[], T = 20) => transformWarning(new OwnDegradation({ T, blocks, mask: emptyMask() }), x);
    expect(await of([{ kind: 'mask', curve: 'linear', values: [0x808080, 0] }])).toMatch(/changes nothing on this picture, even at T/);
    expect(await of([{ kind: 'darken', curve: 'ease-in', values: [2] }], 50)).toMatch(/At t = 1 this transform changes nothing visible/);
    expect(await of([{ kind: 'gauss', curve: 'linear', values: [4, 4, 0] }, { kind: 'darken', curve: 'linear', values: [60] }])).toBeNull();
  });
});
