import { generatorFor } from '../core/degradations/catalog';
import { stepSchedule } from '../core/stepSchedule';
import { useAppStore } from '../state/store';
import { forwardProcessOf } from '../state/viewState';
import { useShownFrame } from './Panels';

const RESTORER_WORDS = {
  trained: 'the network this project trained for it',
  early: 'an early checkpoint of that network (a poor restorer, after about 3 % of its training)',
  mid: 'a checkpoint of that network part-way (about 15 %) through its training',
  oracle: 'an oracle that simply returns the original (so both samplers must end exactly at it)',
} as const;

/** What is on screen now, in plain words. */
function RightNow() {
  const view = useAppStore((s) => s.view);
  const { frame } = useShownFrame();
  const s = stepSchedule(view.t, view.steps)[view.frame] ?? 0;
  const drift = frame && frame.naive.drift !== null && frame.improved.drift !== null ? { naive: frame.naive.drift, improved: frame.improved.drift } : null;
  if (view.mode === 'generate') {
    return (
      <p data-testid="right-now">
        <b>On screen now:</b> generation. Both samplers start from the same flat colour at t = {generatorFor(view.dataset).schedule.T} and undo a blur that
        ended in that colour, one step per frame; you are at frame {view.frame}, step s = {s}. There is no original, so no PSNR: the chart shows
        instead how well each step&apos;s estimate explains the image it came from.
      </p>
    );
  }
  const D = forwardProcessOf(view);
  return (
    <p data-testid="right-now">
      <b>On screen now:</b> {D.label.toLowerCase()}. {D.description} The original was degraded to t = {view.t} of {D.T} ({D.strengthLabel(view.t)}),
      and R is {RESTORER_WORDS[view.restorer]}. At frame {view.frame} both samplers are at step s = {s}
      {view.frame === view.steps ? ', the end: these are their results' : ''}.
      {drift &&
        ` Naive sampling is ${drift.naive.toFixed(3)} (RMSE) away from the path D(x₀, s) it should follow, improved sampling ${drift.improved.toFixed(3)}${
          drift.naive > 1.5 * drift.improved ? ': naive has drifted off, because it throws away what the estimate got wrong' : ''
        }.`}
    </p>
  );
}

export function LearnMore() {
  return (
    <details className="learn-more" data-testid="learn-more">
      <summary>What am I looking at?</summary>
      <div className="learn-body">
        <RightNow />
        <p>
          <b>Cold diffusion</b> (Bansal et al., 2022, <a href="https://arxiv.org/abs/2208.09392">arXiv 2208.09392</a>) replaces the noise of diffusion models
          with any degradation <i>D(x₀, t)</i> that grows with <i>t</i>: here blur, pixelation, a growing hole, snow, fading to gray, animorphosis (the image turns into another picture), and, for contrast, the classic Gaussian noise. One small network per degradation <i>R(x_t, t)</i> is trained to predict the clean
          image from a degraded one. Sampling starts from a degraded image and repeats “estimate, then correct” for <i>s = t … 1</i>:
        </p>
        <ul>
          <li>
            <b>Naive</b> (Algorithm 1): <code>x̂₀ = R(x_s, s); x_(s−1) = D(x̂₀, s−1)</code>. Errors of the estimate are degraded again and pile up; for blur it
            drifts into washed-out or wrong colours.
          </li>
          <li>
            <b>Improved</b> (Algorithm 2, “TACoS”): <code>x_(s−1) = x_s − D(x̂₀, s) + D(x̂₀, s−1)</code>. Only the <i>difference</i> between two degradation
            levels of the estimate is used, which cancels most of the estimate's error: exact for a linear D when the network is consistent.
          </li>
          <li>
            <b>Direct</b> (the paper's baseline, the panel “One network call”) is the first estimate x̂₀ alone: good pixel error, but blurrier.
          </li>
        </ul>
        <p>
          <b>Seeds.</b> The hole's position, the snow layer, the noise and the picture mixed in are random but fixed for a run by the seed, which is part of the link, so a
          shared link shows exactly the same thing.
        </p>
        <p>
          <b>Noise is different.</b> The hole and the snow are part of <i>D</i>, which a user of the method knows; the noise that made <i>x_t</i> is not.
          So the samplers never use it: at each step they estimate it from what they have, <code>ε̂ = (x_s − √ᾱ_s·x̂₀)/√(1 − ᾱ_s)</code>, as the
          authors&apos; code does. Improved sampling is then DDIM, and naive sampling takes exactly the same step: for noise the two panels agree.
        </p>
        <p>
          <b>Animorphosis</b> is the paper&apos;s demixing: the same schedule, but what the image fades into is another picture <i>z</i>, one of a
          small pool that is never restored (shown under the forward strip, with its credit). The network learns to take that picture back out. Like the
          noise, <i>z</i> only makes <i>x_t</i>: the samplers estimate it, <code>ẑ = (x_s − √ᾱ_s·x̂₀)/√(1 − ᾱ_s)</code>, as the authors&apos; demixing code
          does, so here too naive and improved agree.
        </p>
        <p>
          <b>Generate</b> follows the paper's blur generation: a network trained on Fashion-MNIST undoes a blur that ends in a single flat colour.
          Starting from a colour drawn from the garments&apos; colour distribution plus faint noise (to break the symmetry), the improved sampler
          produces a new (plain) garment; the naive one drifts to a saturated white silhouette, or to nothing.
        </p>
        <p>
          Related: Soft Diffusion (Daras et al., 2209.05442), InDI (Delbracio &amp; Milanfar, 2303.11435), Blurring Diffusion Models (Hoogeboom &amp; Salimans,
          2209.05557), Inverse Heat Dissipation (Rissanen et al., 2206.13397).
        </p>
      </div>
    </details>
  );
}
