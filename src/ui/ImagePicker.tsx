import { useEffect, useRef, useState } from 'react';
import { SAMPLES } from '../samples';
import { useAppStore } from '../state/store';
import { encodeImageParam } from '../state/imageLink';
import { CameraCapture } from './CameraCapture';

interface Props {
  onFile(file: Blob, name: string): void;
}

/** Gallery of bundled samples, plus the visitor's own image by picker, drop or paste. */
export function ImagePicker({ onFile }: Props) {
  const image = useAppStore((s) => s.view.image);
  const localImage = useAppStore((s) => s.localImage);
  const chooseSample = useAppStore((s) => s.chooseSample);
  const imageData = useAppStore((s) => s.view.imageData);
  const setView = useAppStore((s) => s.setView);
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const base = import.meta.env.BASE_URL;

  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const item = [...(e.clipboardData?.items ?? [])].find((i) => i.kind === 'file');
      const file = item?.getAsFile();
      if (file) onFile(file, file.name || 'pasted image');
    };
    let depth = 0;
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const onLeave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onOver = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const files = e.dataTransfer?.files;
      const file = files?.[0];
      if (!file) return;
      if (files.length > 1) useAppStore.getState().notify('info', `${files.length} files were dropped; the first, "${file.name}", is used.`);
      onFile(file, file.name);
    };
    window.addEventListener('paste', onPaste);
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('paste', onPaste);
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [onFile]);

  return (
    <section className="picker" aria-label="Image">
      <div className="gallery" role="radiogroup" aria-label="Sample photos">
        {SAMPLES.map((s) => (
          <button
            key={s.id}
            type="button"
            role="radio"
            aria-checked={!localImage && image === s.id}
            className={!localImage && image === s.id ? 'thumb selected' : 'thumb'}
            title={`${s.title} · ${s.author} · ${s.license}`}
            data-testid={`sample-${s.id}`}
            onClick={() => chooseSample(s.id)}
          >
            <img src={`${base}samples/${s.file}`} alt={s.title} width={56} height={56} />
          </button>
        ))}
      </div>
      <div className="own-image">
        <button type="button" onClick={() => input.current?.click()} data-testid="open-file">
          Your image…
        </button>
        <CameraCapture onFile={onFile} />
        <span className="hint">
          {imageData ? (
            <>
              showing <b>your image from the link</b>: it travels in the part after #, which browsers never send to a server, but anyone with the link sees it
            </>
          ) : localImage ? (
            <>
              showing <b>{localImage}</b> (stays on this device)
            </>
          ) : (
            'or drop / paste one anywhere'
          )}
        </span>
        {localImage && !imageData && <ImageInLinkButton />}
        {imageData && (
          <button type="button" onClick={() => setView({ imageData: '' })} data-testid="image-out-of-link" title="The link then opens the gallery image">
            Take my image out of the link
          </button>
        )}
        <input
          ref={input}
          type="file"
          accept="image/*"
          hidden
          data-testid="file-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) onFile(file, file.name);
            e.target.value = '';
          }}
        />
      </div>
      {dragging && <div className="drop-overlay">Drop an image to use it</div>}
    </section>
  );
}

/**
 * Puts the visitor's image in the link, encoded at the working resolution (WebP, else JPEG). The
 * page then shows the decoded link image, so sender and receiver see the same pixels.
 */
function ImageInLinkButton() {
  const original = useAppStore((s) => s.original);
  const setView = useAppStore((s) => s.setView);
  const notify = useAppStore((s) => s.notify);
  const put = async () => {
    if (!original) return;
    try {
      const canvas = new OffscreenCanvas(original.width, original.height);
      canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(original.rgba), original.width, original.height), 0, 0);
      let blob = await canvas.convertToBlob({ type: 'image/webp', quality: 0.85 });
      if (blob.type !== 'image/webp') blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
      const format = blob.type === 'image/webp' ? 'webp' : blob.type === 'image/jpeg' ? 'jpeg' : 'png';
      const value = encodeImageParam(new Uint8Array(await blob.arrayBuffer()), format);
      setView({ imageData: value });
      notify('info', `Your image is in the link now (${(value.length / 1024).toFixed(1)} kB, after the #: never sent to a server). Anyone you give the link to sees it.`, 'image');
    } catch (e) {
      notify('error', `The image could not be put in the link: ${(e as Error).message}`, 'image');
    }
  };
  return (
    <button type="button" onClick={put} disabled={!original} data-testid="image-in-link" title="Encode your image (at the working resolution) into the link, to share this exact restoration">
      Put my image in the link
    </button>
  );
}
