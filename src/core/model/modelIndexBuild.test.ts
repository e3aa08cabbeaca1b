import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countFiles, readModelIndex } from './modelIndexBuild';

const MODELS = join(__dirname, '../../../public/models');

describe('the model index (build time)', () => {
  const index = readModelIndex(MODELS);

  it('lists every model folder, with model.json, every shard it names and a picture pool where there is one', () => {
    const folders = readdirSync(MODELS).filter((d) => statSync(join(MODELS, d)).isDirectory());
    expect(index.models.map((m) => m.id)).toEqual(folders.sort());
    for (const { id, files } of index.models) {
      const manifest = JSON.parse(readFileSync(join(MODELS, id, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
      const shards = manifest.weightsManifest.flatMap((g) => g.paths);
      const expected = ['model.json', ...shards, ...(id === 'animorph' ? ['pool.json', 'pool.bin'] : [])];
      expect(files.map((f) => f.path)).toEqual(expected.map((name) => `${id}/${name}`));
    }
  });

  it('gives each file its size on disk, and their sum', () => {
    let sum = 0;
    for (const f of index.models.flatMap((m) => m.files)) {
      expect(f.bytes).toBe(statSync(join(MODELS, f.path)).size);
      sum += f.bytes;
    }
    expect(index.totalBytes).toBe(sum);
    // Leaves out what a run does not need (cards, their pictures, eval.json)...
    expect(index.models.flatMap((m) => m.files).some((f) => /MODEL_CARD|\.png$|\.jpg$|eval\.json/.test(f.path))).toBe(false);
    // ...all of which the service worker's cache (maxEntries: twice this count) can hold too.
    expect(countFiles(MODELS)).toBeGreaterThan(index.models.flatMap((m) => m.files).length);
  });

  it('fails the build when a listed file is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-'));
    cpSync(join(MODELS, 'pixelate'), join(dir, 'pixelate'), { recursive: true });
    expect(readModelIndex(dir).models).toHaveLength(1);
    rmSync(join(dir, 'pixelate', 'group1-shard1of1.bin'));
    expect(() => readModelIndex(dir)).toThrow('models/pixelate/group1-shard1of1.bin is listed (model.json or pool.json) but missing');
    rmSync(dir, { recursive: true });
  });
});
