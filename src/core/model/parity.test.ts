import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PARITY_DIR, REPO_ROOT, useCpuBackend } from '../testing/fixtures';
import { checkNetworkParity } from '../testing/parity';

beforeAll(useCpuBackend);

describe('U-Net parity with PyTorch (fixed random weights, every weight non-zero)', () => {
  for (const q of ['float32', 'float16', 'uint8']) {
    it(`${q} weights: network outputs within 1e-3${q === 'float32' ? ', and all three samplers' : ''}`, async () => {
      const dir = join(PARITY_DIR, `unet-${q}`);
      const checked = await checkNetworkParity(dir, join(dir, 'outputs.json'));
      expect(checked).toBe(q === 'float32' ? 6 : 3);
    });
  }
});

const shipped = join(REPO_ROOT, 'public', 'models', 'blur');
const shippedFixture = join(PARITY_DIR, 'shipped-blur.json');

describe('the shipped blur model', () => {
  it('exists, loads and matches PyTorch on a held-out photo within 1e-3', async () => {
    expect(existsSync(join(shipped, 'model.json')), 'public/models/blur/model.json is missing').toBe(true);
    expect(await checkNetworkParity(shipped, shippedFixture)).toBeGreaterThanOrEqual(2);
  });
});
