import { HELD_OUT_SAMPLES } from '../core/own/trainingSettings';
import { SAMPLES, sampleUrl } from '../samples';
import type { ImageSource } from './protocol';

/** The gallery split for training a restorer in the page: the held-out pictures are only ever measured on. */
export function trainingPictures(base: string): { train: ImageSource[]; heldOut: ImageSource[] } {
  const source = (s: (typeof SAMPLES)[number]): ImageSource => ({ kind: 'url', url: sampleUrl(s, base) });
  const heldOut = (id: string) => (HELD_OUT_SAMPLES as readonly string[]).includes(id);
  return { train: SAMPLES.filter((s) => !heldOut(s.id)).map(source), heldOut: SAMPLES.filter((s) => heldOut(s.id)).map(source) };
}
