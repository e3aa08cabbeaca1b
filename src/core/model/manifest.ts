/**
 * model.json: a tfjs weights manifest plus the network's architecture and the
 * degradation it was trained for. Written by training/export_tfjs.py.
 */
export const MODEL_FORMAT = 'cold-diffusion-unet/1';

export interface UNetTopology {
  architecture: 'unet';
  /** Channels per resolution level, from full resolution down. */
  channels: number[];
  embedDim: number;
  timeDim: number;
  /** Largest step the network was trained on. */
  T: number;
  /**
   * 2: each 2×2 block of pixels is folded into 12 channels before the stem and unfolded after
   * the output convolution (no convolution at full resolution). Absent in older models: 1.
   */
  spaceToDepth?: 1 | 2;
}

export function spaceToDepthOf(topo: UNetTopology): 1 | 2 {
  return topo.spaceToDepth ?? 1;
}

export type Quantization =
  | { dtype: 'float16' }
  | { dtype: 'uint8' | 'uint16'; min: number; scale: number };

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
  quantization?: Quantization;
}

export interface ModelManifest {
  format: typeof MODEL_FORMAT;
  modelTopology: UNetTopology;
  degradation: { id: string; T: number; [key: string]: unknown };
  /** sha256: one hex digest per path, checked before the weights are used. */
  weightsManifest: { paths: string[]; weights: WeightSpec[]; sha256: string[] }[];
  totalBytes?: number;
  training?: Record<string, unknown>;
}

export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

type Json = unknown;

function isRecord(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function positiveInts(v: Json): v is number[] {
  return Array.isArray(v) && v.every((n) => Number.isInteger(n) && (n as number) > 0);
}

function fail(where: string, what: string): never {
  throw new ModelFormatError(`model.json: ${where} ${what}`);
}

/** Checks the shape of a parsed model.json, field by field, with messages that say where. */
export function parseManifest(raw: Json): ModelManifest {
  if (!isRecord(raw)) fail('the file', 'is not a JSON object');
  if (raw.format !== MODEL_FORMAT) fail('"format"', `is ${JSON.stringify(raw.format)}, expected "${MODEL_FORMAT}"`);
  const topo = raw.modelTopology;
  if (!isRecord(topo)) fail('"modelTopology"', 'is missing');
  if (topo.architecture !== 'unet') fail('"modelTopology.architecture"', `is ${JSON.stringify(topo.architecture)}, expected "unet"`);
  if (!positiveInts(topo.channels) || topo.channels.length < 1) fail('"modelTopology.channels"', 'must be a non-empty list of positive integers');
  for (const key of ['embedDim', 'timeDim', 'T'] as const) {
    if (!Number.isInteger(topo[key]) || (topo[key] as number) <= 0) fail(`"modelTopology.${key}"`, 'must be a positive integer');
  }
  if ((topo.embedDim as number) % 2 !== 0) fail('"modelTopology.embedDim"', 'must be even');
  if (topo.spaceToDepth !== undefined && topo.spaceToDepth !== 1 && topo.spaceToDepth !== 2) fail('"modelTopology.spaceToDepth"', 'must be 1 or 2');
  const deg = raw.degradation;
  if (!isRecord(deg) || typeof deg.id !== 'string' || !Number.isInteger(deg.T)) fail('"degradation"', 'must name an id and T');
  const groups = raw.weightsManifest;
  if (!Array.isArray(groups) || groups.length === 0) fail('"weightsManifest"', 'must be a non-empty list');
  groups.forEach((g, gi) => {
    if (!isRecord(g)) fail(`"weightsManifest[${gi}]"`, 'is not an object');
    if (!Array.isArray(g.paths) || g.paths.length === 0 || !g.paths.every((p) => typeof p === 'string' && /^[\w.-]+$/.test(p))) {
      fail(`"weightsManifest[${gi}].paths"`, 'must list shard file names (letters, digits, . _ -)');
    }
    if (!Array.isArray(g.sha256) || g.sha256.length !== g.paths.length || !g.sha256.every((d) => typeof d === 'string' && /^[0-9a-f]{64}$/.test(d))) {
      fail(`"weightsManifest[${gi}].sha256"`, 'must give one SHA-256 digest (64 hex digits) per shard');
    }
    if (!Array.isArray(g.weights)) fail(`"weightsManifest[${gi}].weights"`, 'must be a list');
    g.weights.forEach((w, wi) => {
      const where = `"weightsManifest[${gi}].weights[${wi}]"`;
      if (!isRecord(w) || typeof w.name !== 'string') fail(where, 'has no name');
      if (!Array.isArray(w.shape) || !w.shape.every((n) => Number.isInteger(n) && (n as number) >= 0)) fail(where, `(${w.name}) has a bad shape`);
      if (w.dtype !== 'float32') fail(where, `(${w.name}) has dtype ${JSON.stringify(w.dtype)}; only float32 weights are used`);
      const q = w.quantization;
      if (q !== undefined) {
        if (!isRecord(q)) fail(where, `(${w.name}) has a bad quantization`);
        if (q.dtype === 'uint8' || q.dtype === 'uint16') {
          if (typeof q.min !== 'number' || typeof q.scale !== 'number') fail(where, `(${w.name}) ${q.dtype} quantization needs min and scale`);
        } else if (q.dtype !== 'float16') {
          fail(where, `(${w.name}) has unknown quantization ${JSON.stringify(q.dtype)}`);
        }
      }
    });
  });
  return raw as unknown as ModelManifest;
}

const BYTES_PER_VALUE: Record<string, number> = { float32: 4, float16: 2, uint16: 2, uint8: 1 };

export function specByteLength(spec: WeightSpec): number {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  return count * BYTES_PER_VALUE[spec.quantization?.dtype ?? spec.dtype]!;
}

/**
 * The weights a U-Net of this topology needs, name -> shape (tfjs layouts:
 * conv [kh, kw, in, out], dense [in, out]). Mirrors training/unet.py's state_dict.
 */
export function expectedWeights(topo: UNetTopology): Map<string, number[]> {
  const m = new Map<string, number[]>();
  const c = topo.channels;
  const conv = (name: string, cin: number, cout: number) => {
    m.set(`${name}.weight`, [3, 3, cin, cout]);
    m.set(`${name}.bias`, [cout]);
  };
  const dense = (name: string, cin: number, cout: number) => {
    m.set(`${name}.weight`, [cin, cout]);
    m.set(`${name}.bias`, [cout]);
  };
  const block = (name: string, ch: number) => {
    conv(`${name}.conv1`, ch, ch);
    dense(`${name}.time`, topo.timeDim, ch);
    conv(`${name}.conv2`, ch, ch);
  };
  dense('time_mlp1', topo.embedDim, topo.timeDim);
  dense('time_mlp2', topo.timeDim, topo.timeDim);
  const io = 3 * spaceToDepthOf(topo) ** 2;
  conv('stem', io, c[0]!);
  c.forEach((ch, i) => block(`enc.${i}`, ch));
  for (let i = 1; i < c.length; i++) conv(`down.${i - 1}`, c[i - 1]!, c[i]!);
  block('mid', c[c.length - 1]!);
  for (let i = 0; i < c.length - 1; i++) conv(`up.${i}`, c[i + 1]! + c[i]!, c[i]!);
  for (let i = 0; i < c.length - 1; i++) block(`dec.${i}`, c[i]!);
  conv('out', c[0]!, io);
  return m;
}

/** Every mismatch between the manifest's weights and what the topology needs. */
export function weightMismatches(manifest: ModelManifest): string[] {
  const expected = expectedWeights(manifest.modelTopology);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const group of manifest.weightsManifest) {
    for (const w of group.weights) {
      seen.add(w.name);
      const shape = expected.get(w.name);
      if (!shape) problems.push(`unexpected weight "${w.name}"`);
      else if (shape.join('x') !== w.shape.join('x')) problems.push(`"${w.name}" has shape [${w.shape}], expected [${shape}]`);
    }
  }
  for (const name of expected.keys()) if (!seen.has(name)) problems.push(`missing weight "${name}"`);
  return problems;
}

/**
 * Multiply-adds ×2 of one forward at size×size for one image: the 3×3 convolutions (all but a
 * fraction of a percent of the work; the dense layers and element-wise ops are left out).
 */
export function forwardFlops(topo: UNetTopology, size: number): number {
  const r = spaceToDepthOf(topo);
  const c = topo.channels;
  const pixels = (level: number) => (size / r / 2 ** level) ** 2;
  const conv = (cin: number, cout: number, level: number) => 2 * 9 * cin * cout * pixels(level);
  let flops = conv(3 * r * r, c[0]!, 0) + conv(c[0]!, 3 * r * r, 0);
  c.forEach((ch, level) => (flops += 2 * conv(ch, ch, level))); // encoder blocks
  flops += 2 * conv(c.at(-1)!, c.at(-1)!, c.length - 1); // middle block
  for (let level = 1; level < c.length; level++) flops += conv(c[level - 1]!, c[level]!, level); // down
  for (let level = 0; level < c.length - 1; level++) flops += conv(c[level + 1]! + c[level]!, c[level]!, level) + 2 * conv(c[level]!, c[level]!, level); // up + decoder
  return flops;
}
