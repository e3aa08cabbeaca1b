import { BACKEND_LABELS } from '../core/backend';
import { useAppStore } from '../state/store';

export function BackendBadge() {
  const backend = useAppStore((s) => s.backend);
  if (!backend) return <span className="badge pending" data-testid="backend-badge">starting…</span>;
  const title = [backend.detail, backend.software ? 'software implementation' : null, backend.reason].filter(Boolean).join(' · ');
  return (
    <span className={`badge ${backend.software ? 'software' : ''}`} data-testid="backend-badge" data-backend={backend.name} data-threads={backend.threads ?? undefined} title={title}>
      {BACKEND_LABELS[backend.name]}
      {backend.software ? ' (software)' : ''}
      {backend.threads ? ` · ${backend.threads} thread${backend.threads === 1 ? '' : 's'}` : ''}
    </span>
  );
}

export function ModelProgress() {
  const model = useAppStore((s) => s.model);
  const retryModel = useAppStore((s) => s.retryModel);
  const kb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
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
      <span className="model-status ready" data-testid="model-status" data-status="ready">
        model ready · {(model.parameters / 1e6).toFixed(2)} M parameters · {kb(model.totalBytes)}
      </span>
    );
  }
  return (
    <span className="model-status" data-testid="model-status" data-status={model.status}>
      <label>
        {model.status === 'loading' ? `downloading model ${kb(model.fraction * model.totalBytes)} / ${kb(model.totalBytes)}` : 'model: waiting'}
        <progress max={1} value={model.fraction} data-testid="model-progress" />
      </label>
    </span>
  );
}

export function Header() {
  return (
    <header className="header">
      <div>
        <h1>Cold Diffusion Lab</h1>
        <p className="tagline">Undo a degradation step by step, with the paper's two samplers side by side. Runs in your browser; your images never leave this device.</p>
      </div>
      <div className="status">
        <ModelProgress />
        <BackendBadge />
      </div>
    </header>
  );
}
