import { useAppStore } from '../state/store';

export function Notices() {
  const notices = useAppStore((s) => s.notices);
  const dismiss = useAppStore((s) => s.dismiss);
  if (notices.length === 0) return null;
  return (
    <ul className="notices" aria-live="polite" data-testid="notices">
      {notices.map((n) => (
        <li key={n.id} className={`notice ${n.level}`}>
          <span>{n.text}</span>
          <button type="button" onClick={() => dismiss(n.id)} aria-label="Dismiss">
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
