import { useEffect, useRef, useState } from 'react';
import { useAppStore } from '../state/store';

/** Why the camera cannot be used, in the visitor's terms. */
export function cameraProblem(e: unknown): string {
  const name = (e as { name?: string })?.name ?? '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'permission to use the camera was denied (allow it in the site settings of your browser, then try again)';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no camera was found';
  if (name === 'NotReadableError') return 'the camera is in use by another program';
  return (e as Error)?.message || 'the camera did not start';
}

/** A photo from the camera as the image: live preview, then one frame, decoded like a file (it stays on this device). */
export function CameraCapture({ onFile }: { onFile(file: Blob, name: string): void }) {
  const [open, setOpen] = useState(false);
  const [starting, setStarting] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const notify = useAppStore((s) => s.notify);

  const stop = () => {
    stream.current?.getTracks().forEach((t) => t.stop());
    stream.current = null;
    setOpen(false);
  };
  useEffect(() => stop, []);

  const start = async () => {
    if (!navigator.mediaDevices?.getUserMedia) {
      notify('warning', 'This browser offers no camera to web pages here (it needs a secure https:// page).', 'image');
      return;
    }
    setStarting(true);
    try {
      stream.current = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
      setOpen(true);
    } catch (e) {
      notify('warning', `The camera could not be used: ${cameraProblem(e)}. Your current image stays.`, 'image');
    } finally {
      setStarting(false);
    }
  };

  useEffect(() => {
    if (open && video.current && stream.current) {
      video.current.srcObject = stream.current;
      void video.current.play().catch(() => undefined);
    }
  }, [open]);

  const take = () => {
    const v = video.current;
    if (!v || v.videoWidth === 0) return;
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    canvas.getContext('2d')!.drawImage(v, 0, 0);
    canvas.toBlob((blob) => {
      if (blob) onFile(blob, 'camera photo');
      stop();
    }, 'image/png');
  };

  if (!open) {
    return (
      <button type="button" onClick={start} disabled={starting} data-testid="open-camera">
        {starting ? 'Starting the camera…' : 'Camera…'}
      </button>
    );
  }
  return (
    <div className="camera" role="group" aria-label="Camera" data-testid="camera">
      <video ref={video} muted playsInline width={240} height={180} aria-label="camera preview" />
      <div className="camera-buttons">
        <button type="button" className="primary" onClick={take} data-testid="take-photo">
          Take photo
        </button>
        <button type="button" onClick={stop} data-testid="close-camera">
          Cancel
        </button>
      </div>
    </div>
  );
}
