import { useEffect, useLayoutEffect, useRef, useState } from 'react';
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
  const factor = useUpscaleFactor(ref, pixels?.width ?? 128);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    if (!pixels) {
      // Back to the empty size, so that the canvas's size always agrees with data-upscale.
      canvas.width = canvas.height = 128 * factor;
      return;
    }
    const source = new ImageData(new Uint8ClampedArray(pixels.rgba), pixels.width, pixels.height);
    canvas.width = pixels.width * factor;
    canvas.height = pixels.height * factor;
    if (factor === 1) {
      ctx.putImageData(source, 0, 0);
      return;
    }
    const small = new OffscreenCanvas(pixels.width, pixels.height);
    small.getContext('2d')!.putImageData(source, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
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
      data-upscale={factor}
    />
  );
}

/** The whole factor that makes `side` pixels at least as many device pixels as the canvas's box. */
function useUpscaleFactor(ref: React.RefObject<HTMLCanvasElement | null>, side: number): number {
  const [factor, setFactor] = useState(1);
  useLayoutEffect(() => {
    const canvas = ref.current;
    if (!canvas || typeof ResizeObserver === 'undefined') return;
    const measure = () => {
      const devicePixels = canvas.getBoundingClientRect().width * (window.devicePixelRatio || 1);
      // Capped: a 4K projector needs no more than 8× (1 024 px for a 128-pixel picture).
      setFactor(Math.min(8, Math.max(1, Math.ceil(devicePixels / side - 0.05))));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(canvas);
    return () => observer.disconnect();
  }, [ref, side]);
  return factor;
}
