// The parts of gifenc (https://github.com/mattdesl/gifenc) the export worker uses; it ships no types.
declare module 'gifenc' {
  export interface GifFrameOptions {
    palette?: number[][];
    /** Milliseconds this frame is shown. */
    delay?: number;
    /** 0: loop forever, -1: play once (first frame only). */
    repeat?: number;
    /** Pixels of index `transparentIndex` are transparent (the frame before shows through). */
    transparent?: boolean;
    transparentIndex?: number;
    /** GIF disposal method; 1: leave this frame in place under the next. -1: gifenc's default (2 with transparency). */
    dispose?: number;
  }
  export interface GifEncoderStream {
    writeFrame(index: Uint8Array, width: number, height: number, options?: GifFrameOptions): void;
    finish(): void;
    bytes(): Uint8Array<ArrayBuffer>;
  }
  export function GIFEncoder(): GifEncoderStream;
  export function quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number): number[][];
  export function applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: number[][]): Uint8Array;
}
