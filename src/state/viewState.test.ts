import { describe, expect, it } from 'vitest';
import { SAMPLE_IDS } from '../samples';
import { defaultViewState, formatLink, parseLink, withChange, type ViewState } from './viewState';

const OWN = defaultViewState().own;

describe('link state', () => {
  it('round-trips every field', () => {
    const s: ViewState = { mode: 'restore', image: SAMPLE_IDS[2]!, imageData: 'webp.UklGRg', degradation: 'snow', t: 33, steps: 20, backend: 'wasm', frame: 17, fps: 12, seed: 4_000_000_000, dataset: 'garments', colour: 'ffd5dc', sigma: 0.01, own: OWN, budget: 60, loss: 'l2', warm: 'none', restorer: 'oracle', explain: true, chart: false, sweep: true, present: true, hide: ['seed', 'backend'], plan: '1.x', lesson: 3 };
    const back = parseLink(formatLink(s));
    expect(back.notices).toEqual([]);
    expect(back.state).toEqual(s);
  });

  it('opens a link written before the restorer and the predict → correct view existed as it did then', () => {
    const old = '#mode=restore&img=ladybird&deg=inpaint&t=30&backend=wasm&frame=4&fps=8&seed=7';
    expect(parseLink(old)).toEqual({
      state: { mode: 'restore', image: 'ladybird', imageData: '', degradation: 'inpaint', t: 30, steps: 30, backend: 'wasm', frame: 4, fps: 8, seed: 7, dataset: 'faces', colour: '', sigma: 0.002, own: OWN, budget: 60, loss: 'l2', warm: 'none', restorer: 'trained', explain: false, chart: true, sweep: false, present: false, hide: [], plan: '', lesson: 0 },
      notices: [],
    });
  });

  it('a generate link without a data set opens garments, as it did before faces existed; a new link names its data set, also when short', () => {
    expect(parseLink('#mode=generate&seed=3').state.dataset).toBe('garments');
    expect(parseLink('#mode=restore').state.dataset).toBe('faces');
    const faces = withChange(defaultViewState(), { mode: 'generate' });
    expect(faces.dataset).toBe('faces');
    expect(formatLink(faces, { short: true })).toContain('data=faces');
    expect(parseLink(formatLink(faces, { short: true })).state).toEqual(faces);
    expect(parseLink(formatLink(faces)).state).toEqual(faces);
  });

  it('refuses a start colour that is not six hex digits and a noise σ out of range, keeping the defaults', () => {
    const bad = parseLink('#mode=generate&data=faces&colour=red&sigma=5');
    expect(bad.state.colour).toBe('');
    expect(bad.state.sigma).toBe(0.002);
    expect(bad.notices).toEqual(['Link: start colour "red" must be six hex digits, e.g. ffd5dc.', 'Link: noise σ "5" must be a number in 0..0.2; using 0.002.']);
    expect(parseLink('#sigma=NaN').notices).toHaveLength(1);
    expect(parseLink('#sigma=0').state.sigma).toBe(0);
  });

  it('an image in the link that is too large or not image data gets a notice and the gallery image', () => {
    const big = parseLink(`#img=kite&imgdata=webp.${'A'.repeat(70_000)}`);
    expect(big.state.imageData).toBe('');
    expect(big.state.image).toBe('kite');
    expect(big.notices).toEqual(['Link: the image in the link is too large (70005 characters; at most 60000), so the gallery image is shown.']);
    expect(parseLink('#imgdata=hello').notices[0]).toMatch(/not image data/);
  });

  it('reads hide= as a list of control names; an unknown name is refused with the list of names', () => {
    expect(parseLink('#hide=seed,backend,seed').state.hide).toEqual(['seed', 'backend']);
    expect(parseLink('#hide=').state.hide).toEqual([]);
    const bad = parseLink('#hide=seed,kettle');
    expect(bad.state.hide).toEqual([]);
    expect(bad.notices[0]).toMatch(/cannot hide "kettle" \(choose from mode, own, image/);
    expect(formatLink({ ...defaultViewState(), hide: ['step', 'share'] })).toMatch(/hide=step%2Cshare/);
  });

  it('refuses the oracle when generating (there is no original), with a notice', () => {
    const { state, notices } = parseLink('#mode=generate&restorer=oracle&explain=yes');
    expect(state.restorer).toBe('trained');
    expect(state.explain).toBe(false);
    expect(notices.join('\n')).toMatch(/oracle restorer needs an original image/);
    expect(notices.join('\n')).toMatch(/predict → correct view "yes" must be 1/);
    expect(withChange({ ...defaultViewState(), restorer: 'oracle' }, { mode: 'generate' }).restorer).toBe('trained');
  });

  it('keeps notices short and few: a 10 kB value is cut, 1 000 unknown keys make one notice, a repeated key is named', () => {
    const long = parseLink(`#img=${'x'.repeat(10_000)}`);
    expect(long.notices).toHaveLength(1);
    expect(long.notices[0]!.length).toBeLessThan(250);
    expect(long.notices[0]).toMatch(/10000 characters/);
    const many = parseLink(`#${Array.from({ length: 1000 }, (_, i) => `k${i}=1`).join('&')}`);
    expect(many.notices).toHaveLength(1);
    expect(many.notices[0]).toMatch(/ignored 1000 unknown settings: "k0", "k1", "k2", "k3", "k4" and 995 more/);
    const twice = parseLink('#t=5&t=30');
    expect(twice.state.t).toBe(5);
    expect(twice.notices).toEqual(['Link: "t" is given 2 times; the first (5) was used.']);
  });

  it('an empty link gives the defaults with no notice', () => {
    expect(parseLink('')).toEqual({ state: defaultViewState(), notices: [] });
    expect(parseLink('#')).toEqual({ state: defaultViewState(), notices: [] });
  });

  it('the default view is the measured choice (docs/default-view.md): the goldfish, the hole at t = 38, the first frame', () => {
    expect(defaultViewState()).toMatchObject({ image: 'goldfish', degradation: 'inpaint', t: 38, frame: 0, backend: 'auto' });
  });

  it('malformed values fall back to defaults, each with a notice naming it', () => {
    const { state, notices } = parseLink('#img=nope&deg=melt&t=abc&backend=quantum&frame=-3&fps=1e3&seed=-1');
    expect(state).toEqual(defaultViewState());
    expect(notices).toHaveLength(7);
    expect(notices.join('\n')).toMatch(/seed -1 is outside 0\.\.4294967295/);
    expect(notices.join('\n')).toMatch(/sample image "nope"/);
    expect(notices.join('\n')).toMatch(/degradation "melt"/);
    expect(notices.join('\n')).toMatch(/step t "abc" is not a whole number/);
    expect(notices.join('\n')).toMatch(/backend "quantum"/);
  });

  it('out-of-range numbers are refused, not silently clamped', () => {
    const { state, notices } = parseLink('#t=400&frame=5');
    expect(state.t).toBe(38);
    expect(state.frame).toBe(5);
    expect(notices[0]).toMatch(/step t 400 is outside 1\.\.50; using 38/);
  });

  it('a frame past the start step is refused', () => {
    const { state, notices } = parseLink('#t=10&frame=11');
    expect(state).toMatchObject({ t: 10, frame: 0 });
    expect(notices[0]).toMatch(/frame 11 is outside 0\.\.10/);
  });

  it('reports unknown settings', () => {
    expect(parseLink('#t=5&zoom=3').notices).toEqual(['Link: ignored unknown setting "zoom".']);
  });

  it('keeps invariants on change: frame never exceeds t', () => {
    const s = withChange(defaultViewState(), { t: 30, frame: 25 });
    expect(withChange(s, { t: 10 }).frame).toBe(10);
    expect(withChange(s, { t: 99 }).t).toBe(50);
    expect(withChange(s, { fps: 0 }).fps).toBe(1);
  });
});

describe('generate mode in links', () => {
  it('round-trips a generated sample and pins t to the flat start', () => {
    const { state, notices } = parseLink('#mode=generate&seed=77&t=20&frame=5');
    expect(notices).toEqual([]);
    expect(state).toMatchObject({ mode: 'generate', seed: 77, t: 20, frame: 5 });
    expect(parseLink(formatLink(state)).state).toEqual(state);
    expect(withChange(state, { t: 3 }).t).toBe(20);
    expect(parseLink('#mode=generate&t=4').notices[0]).toMatch(/step t 4 is outside 20\.\.20/);
    expect(parseLink('#mode=dream').notices[0]).toMatch(/unknown mode "dream"/);
  });
});

describe('short links', () => {
  it('leave out what equals the defaults and open the same view', () => {
    expect(formatLink(defaultViewState(), { short: true })).toBe('#');
    const s: ViewState = { ...defaultViewState(), degradation: 'blur', t: 40, steps: 40, restorer: 'early', frame: 7, present: true };
    const short = formatLink(s, { short: true });
    expect(short).toBe('#deg=blur&t=40&frame=7&restorer=early&present=1');
    expect(parseLink(short)).toEqual({ state: s, notices: [] });
  });
});

describe('steps in links', () => {
  it('a link without steps takes every level of its t, and its short form leaves steps out', () => {
    const { state, notices } = parseLink('#deg=blur&t=40&frame=12');
    expect(notices).toEqual([]);
    expect(state).toMatchObject({ t: 40, steps: 40, frame: 12 });
    expect(formatLink(state, { short: true })).toBe('#deg=blur&t=40&frame=12');
    const fewer = { ...state, steps: 38, frame: 3 };
    expect(parseLink(formatLink(fewer, { short: true })).state).toEqual(fewer);
  });

  it('reads steps=4 at t = 40, and frames then run 0..4', () => {
    const { state, notices } = parseLink('#deg=blur&t=40&steps=4&frame=4');
    expect(notices).toEqual([]);
    expect(state).toMatchObject({ t: 40, steps: 4, frame: 4 });
    expect(parseLink('#deg=blur&t=40&steps=4&frame=5').notices[0]).toMatch(/frame 5 is outside 0\.\.4/);
  });

  it('clamps an out-of-range value into 1..t with a notice; a value that is no number takes every level', () => {
    const high = parseLink('#deg=blur&t=20&steps=99');
    expect(high.state.steps).toBe(20);
    expect(high.notices).toEqual(['Link: steps 99 is outside 1..20; using 20.']);
    const low = parseLink('#deg=blur&t=20&steps=0');
    expect(low.state.steps).toBe(1);
    expect(low.notices).toEqual(['Link: steps 0 is outside 1..20; using 1.']);
    expect(parseLink('#deg=blur&t=20&steps=few')).toMatchObject({ state: { steps: 20 }, notices: ['Link: steps "few" is not a whole number; using 20.'] });
  });

  it('when t changes, every level follows t, fewer steps stay within 1..t, and the frame within 0..steps', () => {
    const every = parseLink('#deg=blur&t=30').state;
    expect(withChange(every, { t: 12 }).steps).toBe(12);
    expect(withChange(every, { t: 40 }).steps).toBe(40);
    const four = withChange(every, { steps: 4, frame: 4 });
    expect(withChange(four, { t: 35 })).toMatchObject({ steps: 4, frame: 4 });
    expect(withChange(four, { t: 3 })).toMatchObject({ steps: 3, frame: 3 });
    expect(withChange(four, { steps: 2 }).frame).toBe(2);
  });
});

describe('your own transform in the link', () => {
  it('round-trips the transform and the training budget in mode own; other modes leave both out', () => {
    const own = '12~gauss.l.3.1.45~mask.i.ff0000.1.' + 'A'.repeat(170) + 'Q';
    const s = withChange(defaultViewState(), { mode: 'own', own: parseLink(`#own=${own}`).state.own, budget: 180, loss: 'l1', warm: 'blur', t: 6, steps: 6 });
    const back = parseLink(formatLink(s));
    expect(back.notices).toEqual([]);
    expect(back.state).toEqual(s);
    expect(back.state.own.startsWith('12~gauss.l.3.1.45~mask.i.ff0000.1.')).toBe(true);
    expect(formatLink({ ...s, mode: 'restore' })).not.toMatch(/own=|budget=|loss=|warm=/);
  });

  it('t follows the transform: at most its T', () => {
    const opened = parseLink('#mode=own&own=8~darken.l.50&t=30');
    expect(opened.state.t).toBe(8);
    expect(opened.notices.join(' ')).toMatch(/step t 30 is outside 1\.\.8/);
  });

  it('a hostile value keeps what is valid and says what was dropped, once, without quoting the whole value back', () => {
    const opened = parseLink('#mode=own&own=99~kettle.l.1~gauss.l.NaN.2.3~darken.l.500~fade.l.1.2.3.4&budget=7&warm=imagenet');
    expect(opened.state.own).toBe('50~gauss.l.6.2.3~darken.l.100');
    const text = opened.notices.join(' ');
    expect(text).toMatch(/T = 99 is outside 5\.\.50/);
    expect(text).toMatch(/not a known block \("kettle"/);
    expect(text).toMatch(/σ across "NaN" is not a number/);
    expect(text).toMatch(/amount 500 is outside 1\.\.100: using 100/);
    expect(text).toMatch(/at most 3 are applied/);
    expect(text).toMatch(/training budget "7" must be one of 30, 60, 180, 0/);
    expect(opened.state.warm).toBe('none');
    expect(text).toMatch(/unknown warm start "imagenet" \(choose none, blur, inpaint\); using none/);
    expect(text).not.toMatch(/using 50~/);
  });
});
