import { describe, expect, it } from 'vitest';
import { BLOCK_KINDS, CURVES, defaultBlock, describeBlock, paramSpecs, strength } from './blocks';
import { decodeMask, defaultTransform, encodeMask, encodeTransform, MASK_PRESETS, maskPreset, MAX_LINK_LENGTH, parseTransform, PRESET_IDS, PRESETS, type OwnTransform } from './ownTransform';

describe('the transform in a link', () => {
  it('round-trips every preset and every block kind with every schedule, using only unreserved characters', () => {
    const cases: OwnTransform[] = PRESET_IDS.map((id) => PRESETS[id].transform());
    for (const kind of BLOCK_KINDS) for (const curve of CURVES) cases.push({ T: 33, blocks: [{ ...defaultBlock(kind), curve }], mask: maskPreset('stripes') });
    for (const transform of cases) {
      const text = encodeTransform(transform);
      expect(text).toMatch(/^[A-Za-z0-9._~-]+$/);
      expect(text.length).toBeLessThanOrEqual(MAX_LINK_LENGTH);
      const { transform: back, notices } = parseTransform(text);
      expect(notices).toEqual([]);
      expect(encodeTransform(back)).toBe(text);
      expect(back.blocks).toEqual(transform.blocks);
    }
  });

  it('three blocks with a painted mask stay well inside the length limit', () => {
    const text = encodeTransform({ T: 50, blocks: [defaultBlock('mask'), defaultBlock('swirl'), defaultBlock('gauss')], mask: maskPreset('circle') });
    expect(text.length).toBeLessThan(MAX_LINK_LENGTH / 1.4);
  });

  it('the mask bitmap round-trips bit for bit', () => {
    for (const preset of MASK_PRESETS) expect(decodeMask(encodeMask(maskPreset(preset)))).toEqual(maskPreset(preset));
    const random = Uint8Array.from({ length: 1024 }, (_, i) => (i * 7919) % 3 === 0 ? 1 : 0);
    expect(decodeMask(encodeMask(random))).toEqual(random);
  });

  it('hostile values: each problem is named, what is valid is kept', () => {
    const cases: [string, RegExp, (t: OwnTransform) => void][] = [
      ['20~warp.l.1~fade.l.50.ff0000', /not a known block \("warp"/, (t) => expect(t.blocks.map((b) => b.kind)).toEqual(['fade'])],
      ['20~gauss.l.NaN.2.30', /σ across "NaN" is not a number: using 6/, (t) => expect(t.blocks[0]!.values).toEqual([6, 2, 30])],
      ['20~gauss.l.1e9.2.30', /not a number/, (t) => expect(t.blocks[0]!.values[0]).toBe(6)],
      ['20~gauss.l.99.2.30', /σ across 99 is outside 0..10: using 10/, (t) => expect(t.blocks[0]!.values[0]).toBe(10)],
      ['999~darken.l.50', /T = 999 is outside 5..50: using T = 50/, (t) => expect(t.T).toBe(50)],
      ['-3~darken.l.50', /using T = 5/, (t) => expect(t.T).toBe(5)],
      ['20~darken.x.50', /no valid schedule/, (t) => expect(t.blocks.map((b) => b.kind)).toEqual(['gauss'])],
      ['20~darken.l.50.7', /has 2 values, not 1/, () => undefined],
      ['20~mask.l.808080.0.AAAA', /not a 32×32 bitmap: it starts empty/, (t) => expect(t.mask.every((v) => v === 0)).toBe(true)],
      ['20~mask.l.808080.0.' + 'A'.repeat(171) + '~mask.l.808080.0.' + 'A'.repeat(171), /second painted mask/, (t) => expect(t.blocks).toHaveLength(1)],
      ['20~darken.l.1~darken.l.2~darken.l.3~darken.l.4', /names 4 blocks; at most 3/, (t) => expect(t.blocks).toHaveLength(3)],
      ['20~fade.l.50.zzzzzz', /colour "zzzzzz" is not a number/, (t) => expect(t.blocks[0]!.values[1]).toBe(0x808080)],
      ['20', /No valid block is left/, (t) => expect(t.blocks).toHaveLength(1)],
    ];
    for (const [text, notice, check] of cases) {
      const { transform, notices } = parseTransform(text);
      expect(notices.join(' '), text).toMatch(notice);
      check(transform);
    }
  });

  it('a value that is not a transform, or too long, gives the default preset and says why', () => {
    for (const [text, why] of [['', /does not start with its number of steps/], ['gauss', /does not start/], ['20~' + 'x'.repeat(500), /characters long \(at most 400\)/]] as const) {
      const { transform, notices } = parseTransform(text);
      expect(notices[0]).toMatch(why);
      expect(notices[0]).toMatch(/showing the preset "Fog"/);
      expect(encodeTransform(transform)).toBe(encodeTransform(defaultTransform()));
    }
  });
});

describe('blocks', () => {
  it('every schedule goes from 0 at t = 0 to 1 at T, never decreasing', () => {
    for (const curve of CURVES) {
      expect(strength(curve, 0, 20)).toBe(0);
      expect(strength(curve, 20, 20)).toBe(1);
      for (let t = 1; t <= 20; t++) expect(strength(curve, t, 20)).toBeGreaterThanOrEqual(strength(curve, t - 1, 20));
    }
    expect(strength('ease-in', 10, 20)).toBeLessThan(0.5);
    expect(strength('ease-out', 10, 20)).toBeGreaterThan(0.5);
  });

  it('every default lies in its range and every block describes itself', () => {
    for (const kind of BLOCK_KINDS) {
      for (const p of paramSpecs(kind)) expect(p.default >= p.min && p.default <= p.max, `${kind}.${p.key}`).toBe(true);
      expect(describeBlock(defaultBlock(kind))).toMatch(/: /);
    }
    expect(describeBlock({ kind: 'fade', curve: 'ease-in', values: [50, 0xff8000] })).toBe('Fade to a colour: amount 50%, colour #ff8000 (ease-in)');
  });
});
