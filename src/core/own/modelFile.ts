import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { strToU8, unzipSync, zipSync, strFromU8 } from 'fflate';
import { loadModel, ModelLoadError, type FileSource, type LoadedModel } from '../model/loader';
import { MODEL_FORMAT, type ModelManifest, type UNetTopology } from '../model/manifest';
import { encodeTransform, parseTransform } from './ownTransform';
import { weightShapes, type WeightArray } from './trainer';
import { OWN_MODEL_EXTENSION } from './trainingSettings';
export { OWN_MODEL_EXTENSION };

/**
 * A restorer trained for your own transform, as one file: a zip of model.json (the shipped models'
 * format: architecture, weights manifest with a SHA-256 digest per shard, and the transform it was
 * made for, its training settings and figures) and weights.bin (float32). Opening it checks it like a
 * shipped model (loader.ts: names, shapes, byte length, digest, finite values) and checks the
 * transform against the network's T.
 */
/** Larger files are refused before they are read (the large recipe is about 3 MB, a warm-started one 10 MB). */
export const MAX_OWN_MODEL_BYTES = 64 * 1024 * 1024;

export interface OwnModelInfo {
  /** The transform's link value. */
  transform: string;
  /** What training/ or the page wrote about how it was trained (recipe, steps, seconds, backend, held-out PSNR). */
  training: Record<string, unknown>;
  parameters: number;
}

export function packOwnModel(topology: UNetTopology, weights: readonly WeightArray[], transform: string, training: Record<string, unknown>): Uint8Array {
  const byName = new Map(weights.map((w) => [w.name, w]));
  const order = weightShapes(topology).map(([name]) => byName.get(name) ?? missing(name));
  const total = order.reduce((sum, w) => sum + w.data.length, 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (const w of order) {
    data.set(w.data, offset);
    offset += w.data.length;
  }
  const bin = new Uint8Array(data.buffer);
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    modelTopology: topology,
    degradation: { id: 'own', T: topology.T, transform },
    weightsManifest: [{ paths: ['weights.bin'], weights: order.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })), sha256: [bytesToHex(sha256(bin))] }],
    totalBytes: bin.byteLength,
    training,
  };
  return zipSync({ 'model.json': strToU8(JSON.stringify(manifest, null, 1)), 'weights.bin': bin }, { level: 0 });
}

function missing(name: string): never {
  throw new Error(`the restorer has no weight "${name}"`);
}

/** Reads a restorer file: the network on the current backend and what it was made for; a clear ModelLoadError otherwise. */
export async function openOwnModel(bytes: Uint8Array, name: string): Promise<{ loaded: LoadedModel; info: OwnModelInfo }> {
  if (bytes.byteLength > MAX_OWN_MODEL_BYTES) throw new ModelLoadError(`"${name}" is ${(bytes.byteLength / 1e6).toFixed(0)} MB, more than a restorer file can be (${MAX_OWN_MODEL_BYTES / 1e6} MB)`, 'format');
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch {
    throw new ModelLoadError(`"${name}" is not a restorer file (a zip of model.json and weights.bin, as "Download the restorer" writes)`, 'format');
  }
  const source: FileSource = {
    location: `${name}: `,
    read: async (file) => {
      const entry = entries[file];
      if (!entry) throw new ModelLoadError(`"${name}" has no ${file}`, 'format');
      return entry.slice().buffer;
    },
  };
  const loaded = await loadModel(source);
  const fail = (why: string): never => {
    loaded.unet.dispose();
    throw new ModelLoadError(`"${name}" ${why}`, 'mismatch');
  };
  const { degradation, modelTopology } = loaded.manifest;
  if (degradation.id !== 'own') fail(`is a model for "${degradation.id}", not for a transform of your own: shipped models are chosen in Restore mode`);
  if (typeof degradation.transform !== 'string') fail('does not say which transform it was trained for');
  const transform = degradation.transform as string;
  const parsed = parseTransform(transform);
  if (parsed.notices.length > 0 || encodeTransform(parsed.transform) !== transform) fail(`names a transform this page cannot read as it is (${parsed.notices[0] ?? 'it is not in its written form'})`);
  if (parsed.transform.T !== modelTopology.T) fail(`holds a network trained for T = ${modelTopology.T}, but its transform has T = ${parsed.transform.T}`);
  const training = (loaded.manifest.training ?? {}) as Record<string, unknown>;
  return { loaded, info: { transform, training, parameters: loaded.unet.parameterCount } };
}

/** model.json of a restorer file, for tests and tools that only read it. */
export function readOwnManifest(bytes: Uint8Array): ModelManifest {
  return JSON.parse(strFromU8(unzipSync(bytes)['model.json']!)) as ModelManifest;
}
