import { useEffect, useRef, useState } from 'react';

/**
 * A model card (MODEL_CARD.md beside the weights), rendered in the page. The Markdown is our
 * own, but it is still sanitised; relative links and images point into the model's folder.
 */
async function renderCard(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const base = new URL('.', new URL(url, location.href));
  // Loaded on first use: most visits never open a card.
  const [{ marked }, { default: DOMPurify }] = await Promise.all([import('marked'), import('dompurify')]);
  const html = await marked.parse(await response.text());
  const purify = DOMPurify();
  purify.addHook('afterSanitizeAttributes', (node) => {
    for (const attr of ['src', 'href']) {
      const v = node.getAttribute(attr);
      if (v && !v.startsWith('#')) node.setAttribute(attr, new URL(v, base).href);
    }
    if (node.tagName === 'A') node.setAttribute('target', '_blank');
  });
  return purify.sanitize(html);
}

export function ModelCardButton({ modelId }: { modelId: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [html, setHtml] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const url = `${import.meta.env.BASE_URL}models/${modelId}/MODEL_CARD.md`;
  useEffect(() => {
    setHtml(null);
    setError(null);
  }, [url]);
  const open = () => {
    dialog.current?.showModal();
    if (html === null)
      renderCard(url)
        .then(setHtml)
        .catch((e: Error) => setError(`The model card could not be loaded (${e.message}).`));
  };
  return (
    <>
      <button type="button" className="link" onClick={open} data-testid="model-card-link">
        model card
      </button>
      <dialog ref={dialog} className="model-card" aria-label={`Model card of ${modelId}`} data-testid="model-card">
        <form method="dialog" className="dialog-bar">
          <a href={url} target="_blank" rel="noreferrer" data-testid="model-card-raw">
            raw file
          </a>
          <button type="submit" data-testid="model-card-close" aria-label="Close the model card">
            Close
          </button>
        </form>
        {error && <p className="notice error">{error}</p>}
        {html === null && !error && <p className="metric">loading…</p>}
        {html !== null && <article className="card-body" data-testid="model-card-body" dangerouslySetInnerHTML={{ __html: html }} />}
      </dialog>
    </>
  );
}
