import { BLOCKS, CURVES, defaultBlock, isBlockKind, paramSpecs, type Block, type BlockKind, type Curve } from './blocks';

/**
 * A transform D(x, t), t = 0..T, the visitor composes from blocks (blocks.ts), applied in order at
 * the same t, and how it travels in a link: `own=<T>~<block>~…`, a block `<kind>.<curve>.<v>.<v>…`
 * (colours in hex, the painted mask as base64url of its 32×32 bits). Only unreserved characters,
 * so a link carries it unescaped.
 */
export interface OwnTransform {
  readonly T: number;
  readonly blocks: readonly Block[];
  /** MASK_SIDE² cells, 1 where painted (row-major); the mask block's shape. */
  readonly mask: Uint8Array;
}

export const MIN_T = 5;
export const MAX_T = 50;
export const MAX_BLOCKS = 3;
export const MASK_SIDE = 32;
/** Longer link values are refused whole: 3 blocks and a mask need about 260 characters. */
export const MAX_LINK_LENGTH = 400;

const CURVE_CODES: Record<Curve, string> = { linear: 'l', 'ease-in': 'i', 'ease-out': 'o' };

export function emptyMask(): Uint8Array {
  return new Uint8Array(MASK_SIDE * MASK_SIDE);
}

export type MaskPreset = 'circle' | 'stripes' | 'scratch' | 'corner';
export const MASK_PRESETS: readonly MaskPreset[] = ['circle', 'stripes', 'scratch', 'corner'];

export function maskPreset(preset: MaskPreset): Uint8Array {
  const m = emptyMask();
  const c = (MASK_SIDE - 1) / 2;
  for (let y = 0; y < MASK_SIDE; y++) {
    for (let x = 0; x < MASK_SIDE; x++) {
      let on = false;
      if (preset === 'circle') on = (x - c) ** 2 + (y - c) ** 2 <= 7.5 ** 2;
      else if (preset === 'stripes') on = Math.floor(y / 4) % 2 === 1 && y > 3 && y < 28;
      else if (preset === 'scratch') on = Math.abs(x - 0.8 * y - 3) <= 1.2;
      else on = x >= 18 && y >= 18;
      m[y * MASK_SIDE + x] = on ? 1 : 0;
    }
  }
  return m;
}

export const PRESETS = {
  smudge: {
    label: 'A smudge',
    transform: (): OwnTransform => ({
      T: 20,
      blocks: [
        { kind: 'defocus', curve: 'linear', values: [8] },
        { kind: 'contrast', curve: 'ease-in', values: [50] },
      ],
      mask: emptyMask(),
    }),
  },
  scratch: {
    label: 'A scratch',
    transform: (): OwnTransform => ({ T: 20, blocks: [{ kind: 'mask', curve: 'linear', values: [0xf2efe6, 0] }], mask: maskPreset('scratch') }),
  },
  fog: {
    label: 'Fog',
    transform: (): OwnTransform => ({
      T: 20,
      blocks: [
        { kind: 'gauss', curve: 'linear', values: [4, 4, 0] },
        { kind: 'fade', curve: 'ease-out', values: [75, 0xd8dde3] },
      ],
      mask: emptyMask(),
    }),
  },
  // A full turn kept tight (40 % of the half-diagonal), the fade linear: improved sampling's step assumes
  // D changes little from s to s − 1, which a wide turn breaks (docs/own-transform.md, "Quality in minutes").
  swirl: {
    label: 'A swirl',
    transform: (): OwnTransform => ({
      T: 20,
      blocks: [
        { kind: 'swirl', curve: 'linear', values: [360, 40] },
        { kind: 'fade', curve: 'linear', values: [40, 0x808080] },
      ],
      mask: emptyMask(),
    }),
  },
} as const;
export type PresetId = keyof typeof PRESETS;
export const PRESET_IDS = Object.keys(PRESETS) as PresetId[];
export const DEFAULT_PRESET: PresetId = 'fog';

export function defaultTransform(): OwnTransform {
  return PRESETS[DEFAULT_PRESET].transform();
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

export function encodeMask(mask: Uint8Array): string {
  const bytes = new Uint8Array(mask.length / 8);
  mask.forEach((bit, i) => {
    if (bit) bytes[i >> 3]! |= 1 << (7 - (i & 7));
  });
  return toBase64Url(bytes);
}

export function decodeMask(text: string): Uint8Array | null {
  const bytes = fromBase64Url(text);
  if (!bytes || bytes.length !== (MASK_SIDE * MASK_SIDE) / 8) return null;
  const mask = emptyMask();
  for (let i = 0; i < mask.length; i++) mask[i] = (bytes[i >> 3]! >> (7 - (i & 7))) & 1;
  return mask;
}

export function encodeTransform(transform: OwnTransform): string {
  const blocks = transform.blocks.map((block) => {
    const values = paramSpecs(block.kind).map((spec, i) => (spec.unit === 'colour' ? block.values[i]!.toString(16).padStart(6, '0') : String(block.values[i])));
    const parts = [block.kind, CURVE_CODES[block.curve], ...values];
    if (block.kind === 'mask') parts.push(encodeMask(transform.mask));
    return parts.join('.');
  });
  return [String(transform.T), ...blocks].join('~');
}

export interface ParsedTransform {
  transform: OwnTransform;
  /** What was dropped or changed, in words, one per problem; empty when the value was valid. */
  notices: string[];
}

/**
 * Reads a link value, keeping what is valid: an unknown or malformed block is dropped, a number
 * outside its range is clamped, each with a notice; a value that is not a transform at all (or too
 * long) gives the default preset and says so.
 */
export function parseTransform(text: string): ParsedTransform {
  const notices: string[] = [];
  const fallback = (why: string): ParsedTransform => ({ transform: defaultTransform(), notices: [`${why}: showing the preset "${PRESETS[DEFAULT_PRESET].label}" instead.`] });
  if (text.length > MAX_LINK_LENGTH) return fallback(`The transform in the link is ${text.length} characters long (at most ${MAX_LINK_LENGTH})`);
  const [tText = '', ...blockTexts] = text.split('~');
  if (!/^-?\d+$/.test(tText)) return fallback(`The transform in the link does not start with its number of steps T`);
  let T = Number(tText);
  if (T < MIN_T || T > MAX_T) {
    const clamped = Math.min(MAX_T, Math.max(MIN_T, T));
    notices.push(`T = ${tText} is outside ${MIN_T}..${MAX_T}: using T = ${clamped}.`);
    T = clamped;
  }
  if (blockTexts.length > MAX_BLOCKS) notices.push(`The link names ${blockTexts.length} blocks; at most ${MAX_BLOCKS} are applied, the rest are dropped.`);
  const blocks: Block[] = [];
  let mask = emptyMask();
  for (const [index, blockText] of blockTexts.slice(0, MAX_BLOCKS).entries()) {
    const parts = blockText.split('.');
    const [kind = '', curveCode = '', ...rest] = parts;
    const where = `block ${index + 1}`;
    if (!isBlockKind(kind)) {
      notices.push(`The ${where} is not a known block ("${kind.slice(0, 20)}"; known: ${Object.keys(BLOCKS).join(', ')}): dropped.`);
      continue;
    }
    if (kind === 'mask' && blocks.some((b) => b.kind === 'mask')) {
      notices.push(`The ${where} is a second painted mask: a transform has one, so it was dropped.`);
      continue;
    }
    const curve = CURVES.find((c) => CURVE_CODES[c] === curveCode);
    if (!curve) {
      notices.push(`The ${where} (${BLOCKS[kind].label}) has no valid schedule ("${curveCode.slice(0, 10)}"): dropped.`);
      continue;
    }
    const specs = paramSpecs(kind);
    const expected = specs.length + (kind === 'mask' ? 1 : 0);
    if (rest.length !== expected) {
      notices.push(`The ${where} (${BLOCKS[kind].label}) has ${rest.length} values, not ${expected}: dropped.`);
      continue;
    }
    const values: number[] = [];
    for (const [i, spec] of specs.entries()) {
      const raw = rest[i]!;
      const valid = spec.unit === 'colour' ? /^[0-9a-fA-F]{6}$/.test(raw) : /^-?\d{1,6}$/.test(raw);
      let value = valid ? (spec.unit === 'colour' ? parseInt(raw, 16) : Number(raw)) : spec.default;
      if (!valid) notices.push(`The ${where}'s ${spec.label} "${raw.slice(0, 12)}" is not a number: using ${spec.default}.`);
      else if (value < spec.min || value > spec.max) {
        const clamped = Math.min(spec.max, Math.max(spec.min, value));
        notices.push(`The ${where}'s ${spec.label} ${value} is outside ${spec.min}..${spec.max}: using ${clamped}.`);
        value = clamped;
      }
      values.push(value);
    }
    if (kind === 'mask') {
      const decoded = decodeMask(rest[specs.length]!);
      if (!decoded) notices.push(`The painted mask in the ${where} is not a ${MASK_SIDE}×${MASK_SIDE} bitmap: it starts empty.`);
      else mask = decoded;
    }
    blocks.push({ kind, curve, values });
  }
  if (blocks.length === 0) {
    notices.push('No valid block is left: using a Gaussian blur.');
    blocks.push(defaultBlock('gauss'));
  }
  return { transform: { T, blocks, mask }, notices };
}

export function sameTransform(a: OwnTransform, b: OwnTransform): boolean {
  return encodeTransform(a) === encodeTransform(b);
}

export function hasMaskBlock(transform: OwnTransform): boolean {
  return transform.blocks.some((b) => b.kind === 'mask');
}

export function withBlocks(transform: OwnTransform, blocks: readonly Block[]): OwnTransform {
  return { ...transform, blocks: blocks.slice(0, MAX_BLOCKS) };
}

export type { Block, BlockKind, Curve };
