import { BACKEND_LABELS } from '../core/backend';
import { useAppStore } from '../state/store';
import { useShown } from './Controls';
import { LearnMore } from './LearnMore';
import { LessonButton } from './LessonPanel';

/** Where the network runs; the details (threads, adapter, why this backend) are in its tooltip. */
export function BackendBadge() {
  const backend = useAppStore((s) => s.backend);
  if (!backend) return <span className="badge pending" data-testid="backend-badge">starting…</span>;
  const threads = backend.threads ? `${backend.threads} thread${backend.threads === 1 ? '' : 's'}` : null;
  const title = [`Runs on ${BACKEND_LABELS[backend.name]}`, threads, backend.detail, backend.software ? 'software implementation' : null, backend.reason].filter(Boolean).join(' · ');
  return (
    <span className={`badge ${backend.software ? 'software' : ''}`} data-testid="backend-badge" data-backend={backend.name} data-threads={backend.threads ?? undefined} title={title} tabIndex={0} aria-label={title}>
      {BACKEND_LABELS[backend.name]}
      {backend.software ? ' (software)' : ''}
    </span>
  );
}

export function ModelProgress() {
  const model = useAppStore((s) => s.model);
  const retryModel = useAppStore((s) => s.retryModel);
  const kb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  const own = useAppStore((s) => s.view.mode === 'own');
  const training = useAppStore((s) => s.training);
  const opened = useAppStore((s) => s.openedModel);
  // Your own transform downloads no model: its restorer is trained here.
  if (own) {
    return (
      <span className="model-status" data-testid="model-status" data-status="own">
        restorer: {training ? `trained here · ${training.steps} steps` : opened ? `from ${opened.name}` : 'none yet (Train it below)'}
      </span>
    );
  }
  if (model.status === 'error') {
    return (
      <span className="model-status error" data-testid="model-status" data-status="error">
        model failed to load{' '}
        <button type="button" onClick={retryModel} data-testid="model-retry">
          Retry
        </button>
      </span>
    );
  }
  if (model.status === 'ready') {
    return (
      <span className="model-status ready" data-testid="model-status" data-status="ready" data-warm-up-ms={model.warmUpMs ?? undefined}>
        model ready · {(model.parameters / 1e6).toFixed(2)} M parameters · {kb(model.totalBytes)}
        {typeof model.warmUpMs === 'number' && <span title="the GPU's programs for this network, built before the first step"> · GPU programs built in {(model.warmUpMs / 1000).toFixed(1)} s</span>}
      </span>
    );
  }
  return (
    <span className="model-status" data-testid="model-status" data-status={model.status}>
      <label>
        {model.status === 'loading'
          ? `downloading model ${kb(model.fraction * model.totalBytes)} / ${kb(model.totalBytes)}`
          : model.status === 'warming'
            ? "preparing the GPU's programs for this network…"
            : 'model: waiting'}
        <progress max={1} value={model.fraction} data-testid="model-progress" />
      </label>
    </span>
  );
}

export const PAPER_URL = 'https://arxiv.org/abs/2208.09392';

/**
 * The title and what the page is about. index.html holds the same markup (checked by Header.test.tsx), so the first
 * paint has words before any script has run; React's first render replaces it with this (issue 28).
 */
export function HeaderTitle() {
  return (
    <div className="title">
      <h1>Cold Diffusion Lab</h1>
      <p className="tagline">
        A network undoes a degradation (blur, a hole, snow…) one small step at a time, as in{' '}
        <a href={PAPER_URL} target="_blank" rel="noreferrer">
          <i>Cold Diffusion</i> (Bansal et al., 2022)
        </a>
        : watch the naive way drift off while the paper&apos;s improved sampling restores. It all runs in your browser; no image leaves this device.
      </p>
    </div>
  );
}

export function Header() {
  const showLearn = useShown('learn');
  return (
    <header className="header">
      <HeaderTitle />
      <div className="status">
        <ModelProgress />
        <BackendBadge />
        <LessonButton />
        {showLearn && <LearnMore />}
      </div>
    </header>
  );
}
