import { beforeEach, describe, expect, it } from 'vitest';
import { useAppStore } from './store';
import { defaultViewState, RUN_FIELDS } from './viewState';

describe('the store applies one rule to every change of the view', () => {
  beforeEach(() => useAppStore.setState({ view: { ...defaultViewState(), t: 30, steps: 30, frame: 12 }, playing: true }));

  it('a change of any run field goes back to frame 0 and stops playing, whichever setter made it', () => {
    const { setView, setStep, setSeed, setDegradation, setMode } = useAppStore.getState();
    const changes: [string, () => void][] = [
      ['restorer', () => setView({ restorer: 'oracle' })],
      ['t', () => setStep(25)],
      ['steps', () => setView({ steps: 4 })],
      ['seed', () => setSeed(9)],
      ['degradation', () => setDegradation('inpaint')],
      ['mode', () => setMode('generate')],
      ['dataset', () => setView({ dataset: 'garments' })],
      ['colour', () => setView({ colour: 'ffd5dc' })],
      ['sigma', () => setView({ sigma: 0 })],
      ['picture', () => setView({ imageData: 'webp.UklGRg' })],
    ];
    for (const [what, change] of changes) {
      useAppStore.setState({ view: { ...defaultViewState(), t: 30, steps: 30, frame: 12 }, playing: true });
      change();
      expect({ what, frame: useAppStore.getState().view.frame, playing: useAppStore.getState().playing }).toEqual({ what, frame: 0, playing: false });
    }
    expect(RUN_FIELDS).toEqual(['mode', 'degradation', 'dataset', 'colour', 'sigma', 'own', 't', 'steps', 'seed', 'restorer']);
  });

  it('a change of what is only shown keeps the frame and playback', () => {
    useAppStore.getState().setView({ fps: 20, chart: false, explain: true });
    expect(useAppStore.getState()).toMatchObject({ view: { frame: 12, fps: 20 }, playing: true });
  });
});

describe('following the computation', () => {
  it('a new run is followed when motion is allowed; any move of the timeline hands it to the visitor', () => {
    useAppStore.setState({ view: { ...defaultViewState(), t: 30, steps: 30, frame: 12 }, playing: false, following: false, autoFollow: true });
    useAppStore.getState().setStep(25);
    expect(useAppStore.getState().following).toBe(true);
    useAppStore.getState().seek(3);
    expect(useAppStore.getState().following).toBe(false);
    useAppStore.getState().setSeed(4);
    expect(useAppStore.getState().following).toBe(true);
    useAppStore.getState().pause();
    expect(useAppStore.getState().following).toBe(false);
    useAppStore.setState({ autoFollow: false });
    useAppStore.getState().setStep(10);
    expect(useAppStore.getState().following).toBe(false);
  });
});
