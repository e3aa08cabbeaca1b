import { centreSquare, WORKING_SIZE } from '../core/image';
import type { Pixels } from '../core/engine/types';
import type { ImageSource } from './protocol';

/** Files above this are refused before decoding (a phone photo is 2-15 MB). */
export const MAX_FILE_BYTES = 60 * 1024 * 1024;
/** Decoded images above this many pixels are refused (about a 16k × 16k panorama). */
export const MAX_PIXELS = 256 * 1024 * 1024;

export class ImageInputError extends Error {
  override name = 'ImageInputError';
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Decodes an image (in the worker: off the page's thread), centre-crops it to a square
 * and resizes it to the working resolution. Nothing leaves the device.
 */
export async function decodeToWorkingSize(source: ImageSource): Promise<{ pixels: Pixels; name: string }> {
  let blob: Blob;
  let name: string;
  if (source.kind === 'url') {
    name = source.url.split('/').pop() ?? source.url;
    const response = await fetch(source.url);
    if (!response.ok) throw new ImageInputError(`Could not load ${name}: HTTP ${response.status}.`);
    blob = await response.blob();
  } else {
    blob = source.file;
    name = source.name || 'pasted image';
    if (blob.size === 0) throw new ImageInputError(`"${name}" is empty.`);
    if (blob.size > MAX_FILE_BYTES) throw new ImageInputError(`"${name}" is ${mb(blob.size)}; the limit is ${mb(MAX_FILE_BYTES)}. Try a smaller copy.`);
    if (blob.type && !blob.type.startsWith('image/')) throw new ImageInputError(`"${name}" is not an image (its type is ${blob.type}).`);
    // A vector drawing has no pixels to decode off the page's thread: say so rather than "damaged".
    if (blob.type === 'image/svg+xml' || /\.svgz?$/i.test(name)) throw new ImageInputError(`"${name}" is an SVG drawing, which is not supported: export it as PNG, JPEG or WebP first.`);
  }
  let bitmap: ImageBitmap;
  try {
    // Bundled samples are already 128×128 sRGB: decode them untouched so every browser
    // starts from the same pixels. A visitor's photo keeps its colour profile.
    bitmap = await createImageBitmap(blob, source.kind === 'file' ? {} : { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new ImageInputError(`"${name}" could not be decoded: it is not an image this browser can read, or the file is damaged.`);
  }
  try {
    if (bitmap.width === 0 || bitmap.height === 0) throw new ImageInputError(`"${name}" has no pixels.`);
    if (bitmap.width * bitmap.height > MAX_PIXELS) {
      throw new ImageInputError(`"${name}" is ${bitmap.width}×${bitmap.height} pixels; the limit is ${MAX_PIXELS / 1024 / 1024} megapixels.`);
    }
    const crop = centreSquare(bitmap.width, bitmap.height);
    const canvas = new OffscreenCanvas(WORKING_SIZE, WORKING_SIZE);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new ImageInputError('This browser cannot draw images off-screen (no OffscreenCanvas 2D).');
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    // Transparent areas are shown over white, as an image viewer would.
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, WORKING_SIZE, WORKING_SIZE);
    ctx.drawImage(bitmap, crop.x, crop.y, crop.size, crop.size, 0, 0, WORKING_SIZE, WORKING_SIZE);
    const data = ctx.getImageData(0, 0, WORKING_SIZE, WORKING_SIZE).data;
    return { pixels: { width: WORKING_SIZE, height: WORKING_SIZE, rgba: data }, name };
  } finally {
    bitmap.close();
  }
}
