/**
 * Lets waiting messages (a newer request: the slider moved, Reset) run between two steps of work.
 * Not setTimeout(0): browsers hold a timer set from a timer's callback, five deep, to at least 4 ms
 * (the HTML standard's nesting clamp), and a run's steps chain that deep at once: 4-5 ms of every
 * step went there (the step profile, Chromium, WASM). A message posted to ourselves queues behind
 * the messages already waiting, unclamped.
 */
export function yieldToEvents(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
    channel.port2.close();
  });
}
