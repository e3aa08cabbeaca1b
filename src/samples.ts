import samples from './samples.json';

/** A bundled sample photo: held out from training, 128×128, with its attribution. */
export interface Sample {
  id: string;
  file: string;
  title: string;
  author: string;
  license: string;
  source: string;
}

export const SAMPLES: readonly Sample[] = samples;
export const SAMPLE_IDS: readonly string[] = SAMPLES.map((s) => s.id);

export function sampleUrl(sample: Sample, base: string): string {
  return `${base}samples/${sample.file}`;
}
