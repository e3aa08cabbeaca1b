import { useEffect, useRef, useState } from 'react';
import { BLOCK_KINDS, BLOCKS, CURVES, defaultBlock, formatParam, paramSpecs, type Block, type BlockKind, type Curve, type ParamSpec } from '../core/own/blocks';
import { encodeTransform, hasMaskBlock, MASK_PRESETS, MASK_SIDE, maskPreset, MAX_BLOCKS, MAX_LINK_LENGTH, MAX_T, MIN_T, PRESET_IDS, PRESETS, type OwnTransform } from '../core/own/ownTransform';
import { useAppStore } from '../state/store';
import { ownTransformOf } from '../state/viewState';

const CURVE_LABELS: Record<Curve, string> = { linear: 'linear', 'ease-in': 'ease-in (slow start)', 'ease-out': 'ease-out (fast start)' };

function useTransform(): [OwnTransform, (next: OwnTransform) => void] {
  const own = useAppStore((s) => s.view.own);
  const setView = useAppStore((s) => s.setView);
  return [ownTransformOf({ own }), (next) => setView({ own: encodeTransform(next) })];
}

/**
 * "Your own transform": compose D(x, t) from up to three blocks, each with its parameters and its
 * schedule over t, and T; a painted mask where a block needs one. Every edit goes into the link at
 * once, and the forward strip below follows it.
 */
export function OwnBuilder() {
  const [transform, update] = useTransform();
  const own = useAppStore((s) => s.view.own);
  const warning = useAppStore((s) => s.transformWarning);
  const setBlocks = (blocks: readonly Block[]) => update({ ...transform, blocks });
  return (
    <section className="own-builder panel" aria-label="Build your own transform" data-testid="own-builder">
      <h2>Your own transform D(x, t)</h2>
      <div className="own-presets" role="group" aria-label="Start from a preset">
        <span>Start from:</span>
        {PRESET_IDS.map((id) => (
          <button key={id} type="button" onClick={() => update(PRESETS[id].transform())} data-testid={`own-preset-${id}`}>
            {PRESETS[id].label}
          </button>
        ))}
      </div>
      <label className="control own-T">
        <span>
          Steps <b data-testid="own-T">T = {transform.T}</b> (every block reaches its full strength at T)
        </span>
        <input type="range" min={MIN_T} max={MAX_T} value={transform.T} onChange={(e) => update({ ...transform, T: Number(e.target.value) })} aria-label="number of steps T" data-testid="own-T-slider" />
      </label>
      <ol className="own-blocks">
        {transform.blocks.map((block, i) => (
          <BlockEditor
            key={i}
            index={i}
            block={block}
            onChange={(b) => setBlocks(transform.blocks.map((x, j) => (j === i ? b : x)))}
            onRemove={transform.blocks.length > 1 ? () => setBlocks(transform.blocks.filter((_, j) => j !== i)) : null}
            onUp={i > 0 ? () => setBlocks(transform.blocks.map((x, j) => (j === i - 1 ? block : j === i ? transform.blocks[i - 1]! : x))) : null}
          />
        ))}
      </ol>
      {transform.blocks.length < MAX_BLOCKS ? (
        <label className="control own-add">
          Add a block
          <select value="" onChange={(e) => e.target.value && setBlocks([...transform.blocks, defaultBlock(e.target.value as BlockKind)])} data-testid="own-add">
            <option value="">choose…</option>
            {BLOCK_KINDS.filter((k) => k !== 'mask' || !hasMaskBlock(transform)).map((k) => (
              <option key={k} value={k}>
                {BLOCKS[k].label}: {BLOCKS[k].hint}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <small>At most {MAX_BLOCKS} blocks: remove one to add another.</small>
      )}
      {hasMaskBlock(transform) && <MaskPainter transform={transform} update={update} />}
      {warning && (
        <p className="own-warning" role="status" data-testid="own-warning">
          {warning}
        </p>
      )}
      <small className="own-limits" data-testid="own-limits">
        Limits: T {MIN_T}–{MAX_T}, up to {MAX_BLOCKS} blocks applied in order, one painted mask of {MASK_SIDE}×{MASK_SIDE} cells. In the link: {own.length} of{' '}
        {MAX_LINK_LENGTH} characters.
      </small>
    </section>
  );
}

function BlockEditor({ index, block, onChange, onRemove, onUp }: { index: number; block: Block; onChange: (b: Block) => void; onRemove: (() => void) | null; onUp: (() => void) | null }) {
  const info = BLOCKS[block.kind];
  const set = (i: number, v: number) => onChange({ ...block, values: block.values.map((x, j) => (j === i ? v : x)) });
  return (
    <li className="own-block" data-testid={`own-block-${index}`}>
      <div className="own-block-head">
        <b>
          {index + 1}. {info.label}
        </b>
        <small>{info.hint}</small>
        <span className="own-block-actions">
          {onUp && (
            <button type="button" onClick={onUp} aria-label={`move block ${index + 1} before block ${index}`} title="Apply it earlier">
              ↑
            </button>
          )}
          {onRemove && (
            <button type="button" onClick={onRemove} aria-label={`remove block ${index + 1}`} data-testid={`own-remove-${index}`}>
              ✕
            </button>
          )}
        </span>
      </div>
      <div className="own-params">
        {paramSpecs(block.kind).map((spec, i) => (
          <ParamInput key={spec.key} spec={spec} value={block.values[i]!} onChange={(v) => set(i, v)} testId={`own-param-${index}-${spec.key}`} />
        ))}
        <label>
          Over t
          <select value={block.curve} onChange={(e) => onChange({ ...block, curve: e.target.value as Curve })} data-testid={`own-curve-${index}`}>
            {CURVES.map((c) => (
              <option key={c} value={c}>
                {CURVE_LABELS[c]}
              </option>
            ))}
          </select>
        </label>
      </div>
    </li>
  );
}

function ParamInput({ spec, value, onChange, testId }: { spec: ParamSpec; value: number; onChange: (v: number) => void; testId: string }) {
  if (spec.unit === 'colour') {
    return (
      <label>
        {spec.label}
        <input type="color" value={formatParam(spec, value)} onChange={(e) => onChange(parseInt(e.target.value.slice(1), 16))} data-testid={testId} />
      </label>
    );
  }
  if (spec.unit === 'mode') {
    return (
      <label>
        {spec.label}
        <select value={value} onChange={(e) => onChange(Number(e.target.value))} data-testid={testId}>
          {(spec.choices ?? []).map((c, i) => (
            <option key={c} value={i}>
              {c}
            </option>
          ))}
        </select>
      </label>
    );
  }
  return (
    <label>
      {spec.label} <b>{formatParam(spec, value)}</b>
      <input type="range" min={spec.min} max={spec.max} value={value} onChange={(e) => onChange(Number(e.target.value))} aria-label={spec.label} data-testid={testId} />
    </label>
  );
}

/** Cells of a word drawn with the page's font, for the mask: a canvas can write it, a worker need not. */
function wordMask(word: string): Uint8Array {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = MASK_SIDE;
  const ctx = canvas.getContext('2d')!;
  let size = 20;
  ctx.font = `bold ${size}px sans-serif`;
  while (size > 6 && ctx.measureText(word).width > MASK_SIDE - 2) ctx.font = `bold ${--size}px sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(word, MASK_SIDE / 2, MASK_SIDE / 2 + 1);
  const alpha = ctx.getImageData(0, 0, MASK_SIDE, MASK_SIDE).data;
  return Uint8Array.from({ length: MASK_SIDE * MASK_SIDE }, (_, i) => (alpha[4 * i + 3]! >= 96 ? 1 : 0));
}

const PAINTER_PX = 224;

/**
 * Paint the mask on the picture: a brush or an eraser of 1–3 cells, or a preset (circle, stripes, a
 * scratch, a corner, a word). A stroke goes into the transform when the pointer lifts, so one stroke
 * is one new strip, not one per cell.
 */
function MaskPainter({ transform, update }: { transform: OwnTransform; update: (t: OwnTransform) => void }) {
  const original = useAppStore((s) => s.original);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [stroke, setStroke] = useState<Uint8Array | null>(null);
  const [erase, setErase] = useState(false);
  const [brush, setBrush] = useState(2);
  const [word, setWord] = useState('HI');
  const mask = stroke ?? transform.mask;
  const commit = (m: Uint8Array) => update({ ...transform, mask: m });
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const cell = PAINTER_PX / MASK_SIDE;
    ctx.clearRect(0, 0, PAINTER_PX, PAINTER_PX);
    if (original) {
      const small = new OffscreenCanvas(original.width, original.height);
      small.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(original.rgba), original.width, original.height), 0, 0);
      ctx.drawImage(small, 0, 0, PAINTER_PX, PAINTER_PX);
    }
    ctx.fillStyle = 'rgba(230, 40, 90, 0.6)';
    for (let i = 0; i < mask.length; i++) if (mask[i]) ctx.fillRect((i % MASK_SIDE) * cell, Math.floor(i / MASK_SIDE) * cell, cell, cell);
  }, [mask, original]);
  const paint = (e: React.PointerEvent<HTMLCanvasElement>, into: Uint8Array) => {
    const box = e.currentTarget.getBoundingClientRect();
    const cx = Math.floor(((e.clientX - box.left) / box.width) * MASK_SIDE);
    const cy = Math.floor(((e.clientY - box.top) / box.height) * MASK_SIDE);
    const next = Uint8Array.from(into);
    const r = brush - 1;
    for (let y = cy - r; y <= cy + r; y++)
      for (let x = cx - r; x <= cx + r; x++) if (x >= 0 && y >= 0 && x < MASK_SIDE && y < MASK_SIDE) next[y * MASK_SIDE + x] = erase ? 0 : 1;
    setStroke(next);
    return next;
  };
  const painted = mask.reduce((a, b) => a + b, 0);
  return (
    <div className="mask-painter" data-testid="mask-painter">
      <canvas
        ref={canvas}
        width={PAINTER_PX}
        height={PAINTER_PX}
        className="mask-canvas"
        aria-label={`the painted mask on the picture: ${painted} of ${MASK_SIDE * MASK_SIDE} cells painted; the preset buttons paint it with the keyboard`}
        data-testid="mask-canvas"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          paint(e, mask);
        }}
        onPointerMove={(e) => stroke && paint(e, stroke)}
        onPointerUp={() => {
          if (stroke) commit(stroke);
          setStroke(null);
        }}
        onPointerCancel={() => setStroke(null)}
      />
      <div className="mask-tools">
        <div role="group" aria-label="Brush">
          <button type="button" aria-pressed={!erase} onClick={() => setErase(false)} data-testid="mask-brush">
            Brush
          </button>
          <button type="button" aria-pressed={erase} onClick={() => setErase(true)} data-testid="mask-eraser">
            Eraser
          </button>
          <label>
            size
            <select value={brush} onChange={(e) => setBrush(Number(e.target.value))}>
              {[1, 2, 3].map((b) => (
                <option key={b} value={b}>
                  {2 * b - 1} cells
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => commit(new Uint8Array(MASK_SIDE * MASK_SIDE))} data-testid="mask-clear">
            Clear
          </button>
        </div>
        <div role="group" aria-label="Mask presets">
          {MASK_PRESETS.map((p) => (
            <button key={p} type="button" onClick={() => commit(maskPreset(p))} data-testid={`mask-preset-${p}`}>
              {p}
            </button>
          ))}
        </div>
        <div role="group" aria-label="A word as the mask">
          <input value={word} maxLength={6} onChange={(e) => setWord(e.target.value)} aria-label="word to paint" data-testid="mask-word" size={6} />
          <button type="button" onClick={() => word.trim() && commit(wordMask(word.trim()))} data-testid="mask-word-paint">
            Paint the word
          </button>
        </div>
        <small>
          {painted} of {MASK_SIDE * MASK_SIDE} cells painted{painted === 0 ? ': paint something, or the mask block changes nothing' : ''}.
        </small>
      </div>
    </div>
  );
}
