import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEGRADATION_IDS, GENERATORS } from '../degradations/catalog';
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
  it('space-to-depth variant (12-channel stem and output): network outputs within 1e-3, and all three samplers', async () => {
    const dir = join(PARITY_DIR, 'unet-space-to-depth');
    expect(await checkNetworkParity(dir, join(dir, 'outputs.json'))).toBe(6);
  });
});

// Every model the app ships must match PyTorch on a held-out photo (fixture written by
// training/train_model.sh from the same weights).
const shippedIds = readdirSync(join(REPO_ROOT, 'public', 'models')).filter((id) => existsSync(join(REPO_ROOT, 'public', 'models', id, 'model.json')));

describe('the shipped models', () => {
  it('cover every degradation of the picker and the Generate mode', () => {
    for (const id of [...DEGRADATION_IDS, ...Object.values(GENERATORS).map((g) => g.modelId)]) expect(shippedIds).toContain(id);
  });
  for (const id of shippedIds) {
    it(`${id}: loads and matches PyTorch on a held-out photo within 1e-3`, async () => {
      const fixture = join(PARITY_DIR, `shipped-${id}.json`);
      expect(existsSync(fixture), `${fixture} is missing: run training/train_model.sh ${id}`).toBe(true);
      expect(await checkNetworkParity(join(REPO_ROOT, 'public', 'models', id), fixture)).toBe(6);
    });
  }
});
