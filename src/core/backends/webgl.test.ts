import { describe, expect, it } from 'vitest';
import { webglPolicy } from './webgl';

describe('the WebGL policy', () => {
  it('calls back once when the canvas loses its context', () => {
    const canvas = new EventTarget();
    const reasons: string[] = [];
    webglPolicy({ webglCanvas: () => canvas }).watchForLoss!((why) => reasons.push(why));
    canvas.dispatchEvent(new Event('webglcontextlost'));
    canvas.dispatchEvent(new Event('webglcontextlost'));
    expect(reasons).toEqual(['its WebGL context was lost']);
  });

  it('watches nothing when another backend runs', () => {
    expect(() => webglPolicy({ webglCanvas: () => null }).watchForLoss!(() => {})).not.toThrow();
  });
});
