import { describe, expect, it } from 'vitest';
import { defaultViewState, withChange, type ViewState } from '../state/viewState';
import { presentationTitle } from './presentationTitle';

const view = (change: Partial<ViewState>) => withChange(defaultViewState(), change);

describe('presentationTitle', () => {
  it('names the degradation and t of the default view, nothing more', () => {
    expect(presentationTitle(defaultViewState())).toBe('Cold diffusion: Hole (inpaint), t = 38');
  });

  it('names a restorer other than the trained network, first after the degradation', () => {
    expect(presentationTitle(view({ t: 40, restorer: 'early' }))).toBe('Cold diffusion: Hole (inpaint), t = 40 · early checkpoint (3 % of training)');
    expect(presentationTitle(view({ restorer: 'mid', image: 'kite' }))).toBe('Cold diffusion: Hole (inpaint), t = 38 · mid checkpoint (15 % of training) · Kite');
    expect(presentationTitle(view({ restorer: 'oracle' }))).toMatch(/· oracle restorer/);
  });

  it('names the seed only where it changes the run: a seeded degradation, or generation', () => {
    expect(presentationTitle(view({ degradation: 'snow', t: 10, seed: 7 }))).toBe('Cold diffusion: Snow, t = 10 · seed 7');
    expect(presentationTitle(view({ degradation: 'snow', t: 10, seed: 1 }))).toBe('Cold diffusion: Snow, t = 10');
    expect(presentationTitle(view({ degradation: 'blur', t: 20, seed: 7 }))).toBe('Cold diffusion: Blur, t = 20'); // blur has no randomness
    expect(presentationTitle(view({ mode: 'generate', seed: 3 }))).toBe('Cold diffusion: generating faces from a flat colour · seed 3');
    expect(presentationTitle(view({ mode: 'generate' }))).toBe('Cold diffusion: generating faces from a flat colour');
    expect(presentationTitle(view({ mode: 'generate', dataset: 'garments', colour: 'ffd5dc', sigma: 0 }))).toBe('Cold diffusion: generating garments from a flat colour · start colour #ffd5dc · noise σ = 0');
  });

  it('names a picture other than the default by its title, and the visitor’s own image as such', () => {
    expect(presentationTitle(view({ image: 'kite' }))).toBe('Cold diffusion: Hole (inpaint), t = 38 · Kite');
    expect(presentationTitle(view({ image: 'kite', imageData: 'webp.AAAA' }))).toBe('Cold diffusion: Hole (inpaint), t = 38 · your image');
    expect(presentationTitle(view({ mode: 'generate', image: 'kite' }))).toBe('Cold diffusion: generating faces from a flat colour');
  });

  it('names fewer steps than levels after t; every level goes unsaid', () => {
    expect(presentationTitle(view({ degradation: 'blur', t: 40, steps: 4, restorer: 'early' }))).toBe('Cold diffusion: Blur, t = 40 in 4 steps · early checkpoint (3 % of training)');
    expect(presentationTitle(view({ degradation: 'blur', t: 40 }))).toBe('Cold diffusion: Blur, t = 40');
  });

  it('leaves view-only settings out (frame, speed, charts, presentation)', () => {
    expect(presentationTitle(view({ frame: 5, fps: 20, chart: false, explain: true, present: true, backend: 'wasm' }))).toBe('Cold diffusion: Hole (inpaint), t = 38');
  });
});
