import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Plugin, ViteDevServer } from 'vite';
import { parseManifest } from './manifest.js';
import type { ModelFile, ModelIndex } from './offlineModels';

/**
 * The model index, read from the model folders themselves (build time, Node): every folder of
 * `modelsDir` with a model.json, its files (model.json, the shards its weightsManifest lists, and
 * pool.json with the file it names, where there is one) and their sizes. A listed file that is
 * missing fails the build, so the index cannot promise what the site does not serve.
 */
export function readModelIndex(modelsDir: string): ModelIndex {
  const ids = readdirSync(modelsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(modelsDir, d.name, 'model.json')))
    .map((d) => d.name)
    .sort();
  const models = ids.map((id) => {
    const dir = join(modelsDir, id);
    const names = ['model.json'];
    let manifest;
    try {
      manifest = parseManifest(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')));
    } catch (e) {
      throw new Error(`models/${id}/model.json: ${(e as Error).message}`);
    }
    names.push(...manifest.weightsManifest.flatMap((g) => g.paths));
    if (existsSync(join(dir, 'pool.json'))) {
      const pool = JSON.parse(readFileSync(join(dir, 'pool.json'), 'utf8')) as { file?: unknown };
      if (typeof pool.file !== 'string' || !/^[\w.-]+$/.test(pool.file)) throw new Error(`models/${id}/pool.json names no pictures file`);
      names.push('pool.json', pool.file);
    }
    const files: ModelFile[] = names.map((name) => {
      const path = join(dir, name);
      if (!existsSync(path)) throw new Error(`models/${id}/${name} is listed (model.json or pool.json) but missing`);
      return { path: `${id}/${name}`, bytes: statSync(path).size };
    });
    return { id, files };
  });
  const totalBytes = models.reduce((sum, m) => sum + m.files.reduce((s, f) => s + f.bytes, 0), 0);
  return { models, totalBytes };
}

/** Every file under `dir` (model cards and their pictures too: whatever the page may fetch from models/). */
export function countFiles(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((n, d) => n + (d.isDirectory() ? countFiles(join(dir, d.name)) : 1), 0);
}

export const MODEL_INDEX_MODULE = 'virtual:model-index';

/**
 * `import modelIndex from 'virtual:model-index'`: the index, built into the page's bundle (no
 * request, so it is there offline too). Re-read when a file under `modelsDir` changes (dev).
 */
export function modelIndexPlugin(modelsDir: string): Plugin {
  const resolved = `\0${MODEL_INDEX_MODULE}`;
  return {
    name: 'model-index',
    resolveId: (id) => (id === MODEL_INDEX_MODULE ? resolved : null),
    load: (id) => (id === resolved ? `export default ${JSON.stringify(readModelIndex(modelsDir))};` : null),
    configureServer(server: ViteDevServer) {
      server.watcher.on('all', (_event, file) => {
        if (relative(modelsDir, file).split(sep)[0] === '..') return;
        const mod = server.moduleGraph.getModuleById(resolved);
        if (mod) server.moduleGraph.invalidateModule(mod);
      });
    },
  };
}
