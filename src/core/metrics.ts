/**
 * Image quality metrics on [-1, 1] RGB images (HWC, one image), reported on the [0, 1]
 * scale with values clipped, as training/metrics.py computes them.
 */
export interface ImageData3 {
  data: Float32Array;
  width: number;
  height: number;
}

const unit = (v: number) => (Math.min(1, Math.max(-1, v)) + 1) / 2;

function checkSame(a: ImageData3, b: ImageData3): void {
  if (a.width !== b.width || a.height !== b.height || a.data.length !== b.data.length) {
    throw new Error(`images differ in size: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  }
}

export function mse(a: ImageData3, ref: ImageData3): number {
  checkSame(a, ref);
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += (unit(a.data[i]!) - unit(ref.data[i]!)) ** 2;
  return s / a.data.length;
}

export const rmse = (a: ImageData3, ref: ImageData3) => Math.sqrt(mse(a, ref));

/**
 * At or above this PSNR two pictures are the same: the MSE floor below gives identical ones 120 dB, and
 * one 8-bit level of error in one channel of one pixel of a 128×128 picture is already below 100 dB.
 */
export const EXACT_DB = 100;

/** dB with peak 1; identical images give 120 dB (the MSE is floored at 1e-12): see EXACT_DB. */
export function psnr(a: ImageData3, ref: ImageData3): number {
  return 10 * Math.log10(1 / Math.max(mse(a, ref), 1e-12));
}

/** Mean SSIM (Wang et al. 2004): 11×11 Gaussian window σ 1.5, K1 .01, K2 .03, valid region, averaged over channels. */
export function ssim(a: ImageData3, ref: ImageData3): number {
  checkSame(a, ref);
  const { width: w, height: h } = a;
  const size = 11;
  const g = new Float64Array(size);
  let gs = 0;
  for (let i = 0; i < size; i++) gs += g[i] = Math.exp(-0.5 * ((i - 5) / 1.5) ** 2);
  for (let i = 0; i < size; i++) g[i]! /= gs;
  const ow = w - size + 1;
  const oh = h - size + 1;
  if (ow <= 0 || oh <= 0) throw new Error('SSIM needs images of at least 11×11');
  const c1 = 0.01 ** 2;
  const c2 = 0.03 ** 2;
  let total = 0;
  const filt = (src: Float64Array): Float64Array => {
    const tmp = new Float64Array(oh * w);
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let k = 0; k < size; k++) s += g[k]! * src[(y + k) * w + x]!;
        tmp[y * w + x] = s;
      }
    const out = new Float64Array(oh * ow);
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++) {
        let s = 0;
        for (let k = 0; k < size; k++) s += g[k]! * tmp[y * w + x + k]!;
        out[y * ow + x] = s;
      }
    return out;
  };
  for (let c = 0; c < 3; c++) {
    const pa = new Float64Array(w * h);
    const pb = new Float64Array(w * h);
    for (let i = 0; i < w * h; i++) {
      pa[i] = unit(a.data[i * 3 + c]!);
      pb[i] = unit(ref.data[i * 3 + c]!);
    }
    const prod = (p: Float64Array, q: Float64Array) => p.map((v, i) => v * q[i]!);
    const ma = filt(pa);
    const mb = filt(pb);
    const saa = filt(prod(pa, pa));
    const sbb = filt(prod(pb, pb));
    const sab = filt(prod(pa, pb));
    let s = 0;
    for (let i = 0; i < ma.length; i++) {
      const va = saa[i]! - ma[i]! ** 2;
      const vb = sbb[i]! - mb[i]! ** 2;
      const cov = sab[i]! - ma[i]! * mb[i]!;
      s += ((2 * ma[i]! * mb[i]! + c1) * (2 * cov + c2)) / ((ma[i]! ** 2 + mb[i]! ** 2 + c1) * (va + vb + c2));
    }
    total += s / ma.length;
  }
  return total / 3;
}

/** Mean squared 4-neighbour Laplacian over interior pixels. */
export function laplacianEnergy(a: ImageData3): number {
  const { width: w, height: h, data } = a;
  let s = 0;
  let n = 0;
  for (let c = 0; c < 3; c++)
    for (let y = 1; y < h - 1; y++)
      for (let x = 1; x < w - 1; x++) {
        const at = (yy: number, xx: number) => unit(data[(yy * w + xx) * 3 + c]!);
        const l = -4 * at(y, x) + at(y - 1, x) + at(y + 1, x) + at(y, x - 1) + at(y, x + 1);
        s += l * l;
        n++;
      }
  return s / n;
}

/** Laplacian energy relative to the original: 1 is ideal, blurry results fall below. */
export function sharpness(a: ImageData3, ref: ImageData3): number {
  return laplacianEnergy(a) / Math.max(laplacianEnergy(ref), 1e-12);
}
