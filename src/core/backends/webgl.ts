import type { BackendPolicy } from './policy';

export interface WebGlEnvironment {
  /** The running WebGL backend's canvas, where the browser announces a lost context; null while another backend runs. */
  webglCanvas(): EventTarget | null;
}

export function webglPolicy(env: WebGlEnvironment): BackendPolicy {
  return {
    watchForLoss: (onLost) => {
      env.webglCanvas()?.addEventListener('webglcontextlost', () => onLost('its WebGL context was lost'), { once: true });
    },
  };
}
