import { useEffect, useRef, useState } from 'react';
import type { Pixels } from '../core/engine/types';

interface Props {
  pixels: Pixels | null | undefined;
  label: string;
  testId: string;
  /** CSS width in px; omitted: the width of its box (a panel). */
  size?: number;
}

/**
 * Draws worker-made pixels; nothing is computed here. Shown large, a 128×128 output is upscaled the
 * "sharp bilinear" way: each pixel repeated k×k times (k the smallest whole factor that reaches the
 * size on screen), then the browser scales that smoothly down to the box. Plain nearest-neighbour at
 * a factor like 1.8 makes pixels of uneven width, plain bilinear blurs them; this keeps every pixel
 * the network made, square and even, and invents no detail (a learned upscaler would).
 */
export function PixelCanvas({ pixels, label, testId, size }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  /** The picture at its own size, kept between frames: drawn scaled from there. */
  const small = useRef<OffscreenCanvas | null>(null);
  const factor = useUpscaleFactor(ref, pixels?.width ?? 128);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    // Only when it changes: setting a canvas's size, even to the same, clears it and allocates it anew (every frame, on every panel).
    const resize = (width: number, height: number) => {
      if (canvas.width !== width) canvas.width = width;
      if (canvas.height !== height) canvas.height = height;
      // Set with the size, not rendered: the factor comes from a resize observer, so a render could show a new
      // factor over a canvas not yet redrawn at it.
      canvas.dataset.upscale = String(factor);
    };
    if (!pixels) {
      // Back to the empty size, so that the canvas's size always agrees with data-upscale.
      resize(128 * factor, 128 * factor);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      return;
    }
    // ImageData takes no view of shared memory: copied only then.
    const rgba = pixels.rgba.buffer instanceof ArrayBuffer ? (pixels.rgba as Uint8ClampedArray<ArrayBuffer>) : new Uint8ClampedArray(pixels.rgba);
    const source = new ImageData(rgba, pixels.width, pixels.height);
    resize(pixels.width * factor, pixels.height * factor);
    if (factor === 1) {
      ctx.putImageData(source, 0, 0);
      return;
    }
    if (small.current?.width !== pixels.width || small.current.height !== pixels.height) small.current = new OffscreenCanvas(pixels.width, pixels.height);
    small.current.getContext('2d')!.putImageData(source, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(small.current, 0, 0, canvas.width, canvas.height);
  }, [pixels, factor]);
  return (
    <canvas
      ref={ref}
      className={pixels ? 'pixels' : 'pixels empty'}
      width={128}
      height={128}
      style={size ? { width: size, height: size } : undefined}
      role="img"
      aria-label={label}
      data-testid={testId}
      data-ready={pixels ? 'true' : 'false'}
    />
  );
}

/** The whole factor that makes `side` pixels at least as many device pixels as the canvas's box. */
function useUpscaleFactor(ref: React.RefObject<HTMLCanvasElement | null>, side: number): number {
  const [factor, setFactor] = useState(1);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || typeof ResizeObserver === 'undefined') return;
    // The observer's own entries (it reports once on observing, after layout): asking the box's size here
    // forced a layout per canvas as each mounted, most of a phone's start-up layout time (issue 28).
    const observer = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.borderBoxSize?.[0];
      const width = box ? box.inlineSize : canvas.getBoundingClientRect().width;
      const devicePixels = width * (window.devicePixelRatio || 1);
      // Capped: a 4K projector needs no more than 8× (1 024 px for a 128-pixel picture).
      setFactor(Math.min(8, Math.max(1, Math.ceil(devicePixels / side - 0.05))));
    });
    observer.observe(canvas);
    return () => observer.disconnect();
  }, [ref, side]);
  return factor;
}
