import { useEffect, useRef } from 'react';
import type { Pixels } from '../core/engine/types';

interface Props {
  pixels: Pixels | null | undefined;
  label: string;
  testId: string;
  size?: number;
}

/** Draws worker-made pixels; nothing is computed here. */
export function PixelCanvas({ pixels, label, testId, size = 256 }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    if (!pixels) {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      return;
    }
    canvas.width = pixels.width;
    canvas.height = pixels.height;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(pixels.rgba), pixels.width, pixels.height), 0, 0);
  }, [pixels]);
  return (
    <canvas
      ref={ref}
      className={pixels ? 'pixels' : 'pixels empty'}
      width={128}
      height={128}
      style={{ width: size, height: size }}
      role="img"
      aria-label={label}
      data-testid={testId}
      data-ready={pixels ? 'true' : 'false'}
    />
  );
}
