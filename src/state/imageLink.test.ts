import { describe, expect, it } from 'vitest';
import { decodeImageParam, encodeImageParam, imageParamProblem, MAX_IMAGE_PARAM } from './imageLink';

describe('image in the link', () => {
  it('round-trips any bytes through base64url, with the format in front', () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256);
    const value = encodeImageParam(bytes, 'webp');
    expect(value.startsWith('webp.')).toBe(true);
    expect(value).toMatch(/^webp\.[A-Za-z0-9_-]+$/); // nothing a link would escape
    const back = decodeImageParam(value);
    expect(back.mime).toBe('image/webp');
    expect(Array.from(back.bytes)).toEqual(Array.from(bytes));
  });
  it('says what is wrong with a value before anything is decoded', () => {
    expect(imageParamProblem(encodeImageParam(new Uint8Array([1, 2, 3]), 'jpeg'))).toBeNull();
    expect(imageParamProblem('gif.AAAA')).toMatch(/not image data/);
    expect(imageParamProblem('webp.<script>')).toMatch(/not image data/);
    expect(imageParamProblem(`webp.${'A'.repeat(MAX_IMAGE_PARAM)}`)).toMatch(/too large/);
  });
});
