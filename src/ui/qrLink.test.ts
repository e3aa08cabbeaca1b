import { describe, expect, it } from 'vitest';
import { defaultViewState, parseLink, withChange, type ViewState } from '../state/viewState';
import { isLocalAddress, MAX_QR_VERSION, qrLink, qrVersion, shortLink } from './qrLink';

const PAGE = 'https://example.org/cold-diffusion/?x=1#deg=snow&present=1';
const view = (change: Partial<ViewState>) => withChange(defaultViewState(), change);
/** A visitor's image of the usual size (3-8 kB of WebP, base64url). */
const IMAGE = `webp.${'A'.repeat(6000)}`;

describe('the QR code link', () => {
  it('is the shortest link that opens the view, on the page’s origin and path, without presentation mode', () => {
    expect(shortLink(defaultViewState(), PAGE)).toBe('https://example.org/cold-diffusion/');
    const v = view({ degradation: 'inpaint', t: 40, seed: 7, restorer: 'early', present: true, hide: ['seed', 'backend'] });
    const href = shortLink(v, PAGE);
    expect(href).toBe('https://example.org/cold-diffusion/#t=40&seed=7&restorer=early&hide=seed,backend');
    // It opens the same view (presentation aside).
    expect(parseLink(new URL(href).hash)).toEqual({ state: { ...v, present: false }, notices: [] });
  });

  it('keeps a short view and its image as they are', () => {
    const link = qrLink(view({ t: 4, imageData: 'webp.AAAA' }), PAGE);
    expect(link).toEqual({ href: 'https://example.org/cold-diffusion/#imgdata=webp.AAAA&t=4', withoutImage: false, localAddress: false });
  });

  it('leaves the visitor’s image out when the code would be past version 10, and says so', () => {
    const v = view({ image: 'kite', degradation: 'snow', t: 9, seed: 5, imageData: IMAGE });
    expect(qrVersion(shortLink(v, PAGE))).toBeGreaterThan(MAX_QR_VERSION);
    const link = qrLink(v, PAGE);
    expect(link.withoutImage).toBe(true);
    expect(link.href).toBe('https://example.org/cold-diffusion/#img=kite&deg=snow&t=9&seed=5');
    expect(qrVersion(link.href)).toBeLessThanOrEqual(MAX_QR_VERSION);
  });

  it('a link of every setting, images aside, fits a readable code', () => {
    const v = view({ mode: 'restore', image: 'kite', degradation: 'animorph', t: 3, seed: 4294967295, restorer: 'oracle', frame: 2, fps: 30, explain: true, chart: false, backend: 'webgpu', hide: ['mode', 'image', 'degradation', 'step', 'seed', 'restorer', 'backend'] });
    expect(qrVersion(shortLink(v, 'https://someone.github.io/cold-diffusion-lab/'))).toBeLessThanOrEqual(MAX_QR_VERSION);
  });

  it('knows the addresses a phone cannot open', () => {
    for (const local of ['http://localhost:5173/', 'http://127.0.0.1:4173/', 'http://127.1.2.3/', 'http://[::1]:8080/', 'http://0.0.0.0:4173/', 'http://laptop.local/', 'file:///home/me/dist/index.html'])
      expect(isLocalAddress(new URL(local)), local).toBe(true);
    for (const remote of ['https://example.org/', 'http://192.168.1.20:4173/', 'http://10.0.0.5/', 'http://local.example.org/', 'http://128.0.0.1/'])
      expect(isLocalAddress(new URL(remote)), remote).toBe(false);
    expect(qrLink(defaultViewState(), 'http://localhost:4173/#present=1').localAddress).toBe(true);
  });
});
