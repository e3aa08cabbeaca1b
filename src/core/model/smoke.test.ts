import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../testing/fixtures';
import { checkNetworkParity } from '../testing/parity';

beforeAll(useCpuBackend);

// The CI training smoke run (scripts/test-all.sh) trains a few steps, exports, and writes
// PyTorch's outputs; here the TypeScript loader and network must agree with them.
const dir = process.env.SMOKE_MODEL_DIR;

describe.runIf(dir)('training smoke run → export → TypeScript', () => {
  it('the freshly trained model loads and matches PyTorch within 1e-3, samplers included', async () => {
    expect(await checkNetworkParity(dir!, join(dir!, 'outputs.json'))).toBe(5);
  });
});
