/** Resolves after `ms`, or at once (false) when `signal` aborts first. The timer is unref'ed. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms).unref();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
