import QRCode from 'qrcode';
import { formatLink, type ViewState } from '../state/viewState';

/**
 * The largest QR version the code may use with the visitor's image dropped from it: version 10
 * is 57×57 modules, up to 213 bytes of link at error correction M. Drawn 210 px high (1280×720)
 * with its 2-module margin that is 3.4 px a module, which a phone reads from the back of a room.
 * A link with the visitor's image (imgdata, 3-8 kB) never fits; the code then opens the view with
 * the gallery picture. A link without an image is drawn whatever its length (hide= with every
 * control still stays near version 10).
 */
export const MAX_QR_VERSION = 10;
export const QR_ERROR_CORRECTION = 'M';
/** Quiet zone around the code, in modules (the white padding drawn around the canvas adds to it). */
export const QR_MARGIN = 2;

export interface QrLink {
  /** What the code encodes: the shortest link that opens the view, without presentation mode. */
  href: string;
  /** The visitor's image was in the view but is left out of the code (too long for a readable one). */
  withoutImage: boolean;
  /** The page is served from an address a phone cannot reach (this computer, or a file). */
  localAddress: boolean;
}

/** Addresses that only this computer (or its own network name service) resolves: a phone cannot open them. */
export function isLocalAddress(url: URL): boolean {
  if (url.protocol === 'file:') return true;
  const host = url.hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]' || host === '0.0.0.0' || host === '[::]' || host.endsWith('.local');
}

/** The link of a view on the page's origin and path: only what differs from the defaults, never presentation mode. */
export function shortLink(view: ViewState, pageHref: string): string {
  const url = new URL(pageHref);
  // Commas need no escape in a fragment (hide=mode,seed): shorter, and read back the same.
  // A teacher's lesson (plan=) is far too long for a readable code: the code opens the stop's view alone.
  const lesson = view.plan === '' ? view.lesson : 0;
  const hash = formatLink({ ...view, present: false, plan: '', lesson }, { short: true }).replace(/%2C/gi, ',');
  return `${url.protocol}//${url.host}${url.pathname}${hash === '#' ? '' : hash}`;
}

/** QR version a text needs at error correction M, or Infinity if it does not fit in any. */
export function qrVersion(text: string): number {
  try {
    return QRCode.create(text, { errorCorrectionLevel: QR_ERROR_CORRECTION }).version;
  } catch {
    return Infinity;
  }
}

/** What the presentation's QR code encodes for this view on this page. */
export function qrLink(view: ViewState, pageHref: string): QrLink {
  const localAddress = isLocalAddress(new URL(pageHref));
  const href = shortLink(view, pageHref);
  if (view.imageData === '' || qrVersion(href) <= MAX_QR_VERSION) return { href, withoutImage: false, localAddress };
  return { href: shortLink({ ...view, imageData: '' }, pageHref), withoutImage: true, localAddress };
}
