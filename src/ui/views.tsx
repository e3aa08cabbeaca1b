import { lazy, Suspense, type ComponentType } from 'react';
import { useAppStore, useViewSettings } from '../state/store';
import type { HideableControl, ViewState } from '../state/viewState';
import { PartBoundary } from './PartBoundary';

/** A view the visitor switches on and off: a boolean link field of the same name. */
type ViewField = { [K in keyof ViewState]: ViewState[K] extends boolean ? (K extends 'present' ? never : K) : never }[keyof ViewState];

export interface ViewDefinition {
  id: ViewField;
  /** Its toggle reads "Show …" / "Hide …". */
  label: string;
  title: string;
  /** What the page calls it when it fails or loads. */
  part: string;
  /** `hide=` leaves its toggle out. */
  control: HideableControl;
  component: ComponentType;
  /** Where presentation mode shows it when it is on: beside the panels, or below them (the panels then take one row). */
  inPresentation: 'side' | 'below';
}

/**
 * The views below the panels, in page order: the toggles and both layouts are made from this list,
 * so a new view is one entry here (and its link field).
 */
export const VIEWS: readonly ViewDefinition[] = [
  {
    id: 'explain',
    label: 'predict → correct',
    title: "Show each step's parts and the two update rules",
    part: 'predict → correct view',
    control: 'explain',
    // KaTeX is large: fetched only when the view is opened.
    component: lazy(() => import('./PredictCorrect').then((m) => ({ default: m.PredictCorrect }))),
    inPresentation: 'below',
  },
  {
    id: 'chart',
    label: 'error chart',
    title: 'Show or hide the live error chart',
    part: 'error chart',
    control: 'chart',
    // Its own code (uPlot) after the page's first paint: below the panels, it need not hold that up.
    component: lazy(() => import('./ErrorChart').then((m) => ({ default: m.ErrorChart }))),
    inPresentation: 'side',
  },
  {
    id: 'sweep',
    label: 'how many steps?',
    title: 'Show each sampler’s final result against the number of steps (computed when opened)',
    part: '"how many steps?" view',
    control: 'sweep',
    component: lazy(() => import('./StepSweepView').then((m) => ({ default: m.StepSweepView }))),
    inPresentation: 'below',
  },
];

/** The toggle of a view (in the link as <id>=0/1). */
export function ViewToggle({ view }: { view: ViewDefinition }) {
  const on = useAppStore((s) => s.view[view.id]);
  const setView = useAppStore((s) => s.setView);
  return (
    <button type="button" aria-pressed={on} onClick={() => setView({ [view.id]: !on })} data-testid={`${view.id}-toggle`} title={view.title}>
      {on ? 'Hide' : 'Show'} {view.label}
    </button>
  );
}

/** The views that are switched on, each in its own boundary so one failing leaves the rest. */
export function OpenViews({ where }: { where: 'page' | ViewDefinition['inPresentation'] }) {
  const view = useViewSettings();
  return (
    <>
      {VIEWS.filter((v) => view[v.id] && (where === 'page' || v.inPresentation === where)).map(({ id, part, component: View }) => (
        <PartBoundary key={id} name={part}>
          <Suspense fallback={<p className="metric">loading the {part}…</p>}>
            <View />
          </Suspense>
        </PartBoundary>
      ))}
    </>
  );
}
