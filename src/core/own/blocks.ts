/**
 * The building blocks of a transform the visitor makes (mode=own): what each block is and which
 * parameters it takes, without tensor code, so the builder, the link and the operator read one table.
 * Every parameter is an integer in its unit: the link stays short and exact, and a value read from a
 * link is either one the builder could have set or refused.
 */

export const CURVES = ['linear', 'ease-in', 'ease-out'] as const;
export type Curve = (typeof CURVES)[number];

/** The block's strength at step t of T, from 0 (nothing) to 1 (its parameters' full values). */
export function strength(curve: Curve, t: number, T: number): number {
  const u = Math.min(1, Math.max(0, t / T));
  if (curve === 'ease-in') return u * u;
  if (curve === 'ease-out') return 1 - (1 - u) * (1 - u);
  return u;
}

export interface ParamSpec {
  readonly key: string;
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly default: number;
  /** How the builder shows it: a number with this unit, or a colour (0xRRGGBB). */
  readonly unit: 'px' | '°' | '%' | 'levels' | 'colour' | 'mode';
  /** For unit 'mode': the label of each value 0, 1, … */
  readonly choices?: readonly string[];
}

const colour = (key: string, label: string, value: number): ParamSpec => ({ key, label, min: 0, max: 0xffffff, default: value, unit: 'colour' });

/**
 * `wholePicture`: training applies the block to whole pictures and then crops (trainer.ts). The painted mask is
 * drawn at the picture's size, so on a 64-pixel crop it would be a scratch half as wide as the network meets in use,
 * and what it covers shows in any window of it. The others act on the crop the network sees, as in use on the
 * picture it sees: a blur or a fade alike, pixelate's grid from the corner, lose contrast towards the mean of what
 * is seen, and the swirl about the centre of what is seen. A window of a whole swirled picture hides where the
 * centre is, and so which way to turn back (held-out one call 22.2 dB that way against 24.7 on swirled crops,
 * docs/own-transform.md, "Crops after the transform").
 */
export const BLOCKS = {
  gauss: {
    label: 'Gaussian blur',
    hint: 'σ along two axes, turned by an angle',
    wholePicture: false,
    params: [
      { key: 'sx', label: 'σ across', min: 0, max: 10, default: 6, unit: 'px' },
      { key: 'sy', label: 'σ along', min: 0, max: 10, default: 1, unit: 'px' },
      { key: 'angle', label: 'angle', min: 0, max: 179, default: 30, unit: '°' },
    ],
  },
  motion: {
    label: 'Motion blur',
    hint: 'a streak of a length, at an angle',
    wholePicture: false,
    params: [
      { key: 'length', label: 'length', min: 1, max: 40, default: 16, unit: 'px' },
      { key: 'angle', label: 'angle', min: 0, max: 179, default: 0, unit: '°' },
    ],
  },
  defocus: {
    label: 'Defocus',
    hint: 'a disk of a radius, as an out-of-focus lens',
    wholePicture: false,
    params: [{ key: 'radius', label: 'radius', min: 1, max: 16, default: 6, unit: 'px' }],
  },
  mask: {
    label: 'Painted mask',
    hint: 'what you paint is covered, growing from its middle or fading in',
    wholePicture: true,
    params: [
      colour('colour', 'fill', 0x808080),
      { key: 'growth', label: 'over t', min: 0, max: 1, default: 0, unit: 'mode', choices: ['grows', 'fades in'] },
    ],
  },
  pixelate: {
    label: 'Pixelate',
    hint: 'averages blocks of pixels',
    wholePicture: false,
    params: [{ key: 'size', label: 'block', min: 2, max: 32, default: 16, unit: 'px' }],
  },
  fade: {
    label: 'Fade to a colour',
    hint: 'mixes in a flat colour',
    wholePicture: false,
    params: [
      { key: 'amount', label: 'amount', min: 1, max: 100, default: 100, unit: '%' },
      colour('colour', 'colour', 0x808080),
    ],
  },
  darken: {
    label: 'Darken',
    hint: 'towards black',
    wholePicture: false,
    params: [{ key: 'amount', label: 'amount', min: 1, max: 100, default: 90, unit: '%' }],
  },
  contrast: {
    label: 'Lose contrast',
    hint: 'towards the picture’s mean colour',
    wholePicture: false,
    params: [{ key: 'amount', label: 'amount', min: 1, max: 100, default: 90, unit: '%' }],
  },
  posterize: {
    label: 'Posterize',
    hint: 'fewer levels per channel',
    wholePicture: false,
    params: [{ key: 'levels', label: 'levels at T', min: 2, max: 64, default: 3, unit: 'levels' }],
  },
  swirl: {
    label: 'Swirl',
    hint: 'turns the middle around the centre',
    wholePicture: false,
    params: [
      { key: 'angle', label: 'turn', min: -720, max: 720, default: 360, unit: '°' },
      { key: 'radius', label: 'radius', min: 10, max: 100, default: 70, unit: '%' },
    ],
  },
  noise: {
    label: 'Gaussian noise',
    hint: 'a fixed noise field (the seed draws it), for contrast with hot diffusion',
    wholePicture: false,
    params: [{ key: 'sigma', label: 'σ', min: 1, max: 100, default: 40, unit: '%' }],
  },
} as const satisfies Record<string, { label: string; hint: string; wholePicture: boolean; params: readonly ParamSpec[] }>;

export type BlockKind = keyof typeof BLOCKS;
export const BLOCK_KINDS = Object.keys(BLOCKS) as BlockKind[];

export function isBlockKind(value: string): value is BlockKind {
  return Object.prototype.hasOwnProperty.call(BLOCKS, value);
}

export function paramSpecs(kind: BlockKind): readonly ParamSpec[] {
  return BLOCKS[kind].params;
}

export interface Block {
  readonly kind: BlockKind;
  readonly curve: Curve;
  /** One integer per entry of BLOCKS[kind].params, in that order. */
  readonly values: readonly number[];
}

export function defaultBlock(kind: BlockKind): Block {
  return { kind, curve: 'linear', values: paramSpecs(kind).map((p) => p.default) };
}

/** A block's parameter by key (the operator reads them by name, the link by position). */
export function param(block: Block, key: string): number {
  const index = paramSpecs(block.kind).findIndex((p) => p.key === key);
  if (index < 0) throw new Error(`${block.kind} has no parameter "${key}"`);
  return block.values[index]!;
}

export function formatParam(spec: ParamSpec, value: number): string {
  if (spec.unit === 'colour') return `#${value.toString(16).padStart(6, '0')}`;
  if (spec.unit === 'mode') return spec.choices?.[value] ?? String(value);
  if (spec.unit === 'levels') return `${value} levels`;
  return `${value}${spec.unit === 'px' ? ' px' : spec.unit}`;
}

/** A short line of what a block does at full strength, e.g. "Gaussian blur: σ across 6 px, σ along 1 px, angle 30°". */
export function describeBlock(block: Block): string {
  const specs = paramSpecs(block.kind);
  return `${BLOCKS[block.kind].label}: ${specs.map((p, i) => `${p.label} ${formatParam(p, block.values[i]!)}`).join(', ')}${block.curve === 'linear' ? '' : ` (${block.curve})`}`;
}
