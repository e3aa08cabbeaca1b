/**
 * A visitor's image in the link, by choice: the working-resolution picture encoded (WebP where
 * the browser encodes it, else JPEG) as base64url in the fragment, which browsers never send
 * to a server. "webp.<base64url>" — the format first, so the receiver knows what it decodes.
 */
export const IMAGE_FORMATS = ['webp', 'jpeg', 'png'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** Longest value accepted (about 45 kB of image): a 128×128 WebP is 3-8 kB. */
export const MAX_IMAGE_PARAM = 60_000;

const PATTERN = /^(webp|jpeg|png)\.([A-Za-z0-9_-]+)$/;

export function encodeImageParam(bytes: Uint8Array, format: ImageFormat): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `${format}.${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/** Why a link's image value cannot be used, or null if its form is right (whether it decodes is for the decoder). */
export function imageParamProblem(value: string): string | null {
  if (value.length > MAX_IMAGE_PARAM) return `is too large (${value.length} characters; at most ${MAX_IMAGE_PARAM})`;
  if (!PATTERN.test(value)) return 'is not image data (expected webp., jpeg. or png. and base64url)';
  return null;
}

export function decodeImageParam(value: string): { bytes: Uint8Array<ArrayBuffer>; mime: string } {
  const m = PATTERN.exec(value);
  if (!m) throw new Error('not image data');
  const b64 = m[2]!.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return { bytes, mime: `image/${m[1]}` };
}
