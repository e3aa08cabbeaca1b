import { useEffect, useState } from 'react';
import { useAppStore, useViewSettings } from '../state/store';

/** How many steps the samplers take from t to 0 (in the link as steps=). */
export function StepsInput() {
  const { t, steps } = useViewSettings();
  const setView = useAppStore((s) => s.setView);
  // What is typed: an empty or half-typed field must not snap back while the visitor types.
  const [draft, setDraft] = useState(String(steps));
  useEffect(() => setDraft(String(steps)), [steps]);
  return (
    <label className="control steps">
      Sampler steps
      <input
        type="number"
        min={1}
        max={t}
        step={1}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          const n = Number(e.target.value);
          if (e.target.value !== '' && Number.isInteger(n) && n >= 1 && n <= t) setView({ steps: n });
        }}
        onBlur={() => setDraft(String(steps))}
        data-testid="steps"
        aria-describedby="steps-note"
      />
      <small id="steps-note">{steps === t ? `every level: t = ${t} → 0 one at a time` : `t = ${t} → 0 in ${steps} jumps of about ${(t / steps).toFixed(1)}`}</small>
    </label>
  );
}
