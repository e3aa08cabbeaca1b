import { describe, expect, it } from 'vitest';
import { defaultViewState, parseLink } from './viewState';

const OWN = defaultViewState().own;

/**
 * Links of every format written since the first one, and what they opened then (read with the link
 * table of the day before it became one table, 2026-12-03): they must open the same view.
 */
const OLD_LINKS: [string, ReturnType<typeof parseLink>][] = [
  // 2026-11-25, first format: picture, blur, step, backend, frame, speed
  ["#img=ladybird&deg=blur&t=12&backend=wasm&frame=3&fps=4", {state: {mode: "restore", image: "ladybird", imageData: "", degradation: "blur", t: 12, steps: 12, backend: "wasm", frame: 3, fps: 4, seed: 1, dataset: "faces", colour: "", sigma: 0.002, own: OWN, budget: 60, loss: 'l2', warm: 'none', restorer: "trained", explain: false, chart: true, sweep: false, present: false, hide: [], plan: "", lesson: 0}, notices: []}],
  // 2026-11-25, with mode and seed
  ["#mode=restore&img=kite&deg=inpaint&t=30&backend=auto&frame=4&fps=8&seed=7", {state: {mode: "restore", image: "kite", imageData: "", degradation: "inpaint", t: 30, steps: 30, backend: "auto", frame: 4, fps: 8, seed: 7, dataset: "faces", colour: "", sigma: 0.002, own: OWN, budget: 60, loss: 'l2', warm: 'none', restorer: "trained", explain: false, chart: true, sweep: false, present: false, hide: [], plan: "", lesson: 0}, notices: []}],
  ["#mode=generate&img=ladybird&deg=blur&t=20&backend=wasm&frame=5&fps=8&seed=77", {state: {mode: "generate", image: "ladybird", imageData: "", degradation: "blur", t: 20, steps: 20, backend: "wasm", frame: 5, fps: 8, seed: 77, dataset: "garments", colour: "", sigma: 0.002, own: OWN, budget: 60, loss: 'l2', warm: 'none', restorer: "trained", explain: false, chart: true, sweep: false, present: false, hide: [], plan: "", lesson: 0}, notices: []}],
  // 2026-12-01, restorer and the predict → correct view
  ["#mode=restore&img=ladybird&deg=pixelate&t=3&backend=cpu&frame=2&fps=12&seed=1&restorer=oracle&explain=1", {state: {mode: "restore", image: "ladybird", imageData: "", degradation: "pixelate", t: 3, steps: 3, backend: "cpu", frame: 2, fps: 12, seed: 1, dataset: "faces", colour: "", sigma: 0.002, own: OWN, budget: 60, loss: 'l2', warm: 'none', restorer: "oracle", explain: true, chart: true, sweep: false, present: false, hide: [], plan: "", lesson: 0}, notices: []}],
  // 2026-12-01, chart, present, hide
  ["#mode=restore&img=kite&deg=snow&t=25&backend=wasm&frame=25&fps=8&seed=9&restorer=trained&explain=0&chart=0&present=1&hide=seed,backend", {state: {mode: "restore", image: "kite", imageData: "", degradation: "snow", t: 25, steps: 25, backend: "wasm", frame: 25, fps: 8, seed: 9, dataset: "faces", colour: "", sigma: 0.002, own: OWN, budget: 60, loss: 'l2', warm: 'none', restorer: "trained", explain: false, chart: false, sweep: false, present: true, hide: ["seed", "backend"], plan: "", lesson: 0}, notices: []}],
  // 2026-12-01, the visitor's image in the link
  ["#mode=restore&img=ladybird&imgdata=webp.UklGRg&deg=blur&t=40&backend=auto&frame=0&fps=8&seed=1&restorer=early&explain=0&chart=1&present=0", {state: {mode: "restore", image: "ladybird", imageData: "webp.UklGRg", degradation: "blur", t: 40, steps: 40, backend: "auto", frame: 0, fps: 8, seed: 1, dataset: "faces", colour: "", sigma: 0.002, own: OWN, budget: 60, loss: 'l2', warm: 'none', restorer: "early", explain: false, chart: true, sweep: false, present: false, hide: [], plan: "", lesson: 0}, notices: []}],
  // 2026-12-02, animorphosis
  ["#mode=restore&img=ladybird&deg=animorph&t=25&backend=auto&frame=0&fps=8&seed=3&restorer=trained&explain=0&chart=1&present=0", {state: {mode: "restore", image: "ladybird", imageData: "", degradation: "animorph", t: 25, steps: 25, backend: "auto", frame: 0, fps: 8, seed: 3, dataset: "faces", colour: "", sigma: 0.002, own: OWN, budget: 60, loss: 'l2', warm: 'none', restorer: "trained", explain: false, chart: true, sweep: false, present: false, hide: [], plan: "", lesson: 0}, notices: []}],
];

describe('old links', () => {
  it('open the view they opened when they were written, with the same notices', () => {
    for (const [link, opened] of OLD_LINKS) expect({ link, ...parseLink(link) }).toEqual({ link, ...opened });
  });
});
