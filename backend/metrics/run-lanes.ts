/**
 * Runs `task` over every item, `lanes` at a time, in order; the first failure aborts the others (their
 * signal) and is thrown once all have stopped.
 */
export async function runLanes<T>(items: readonly T[], lanes: number, task: (item: T, signal: AbortSignal) => Promise<void>, signal: AbortSignal): Promise<void> {
  const failed = new AbortController();
  const both = AbortSignal.any([failed.signal, signal]);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (next < items.length && !both.aborted) {
      try {
        await task(items[next++]!, both);
      } catch (error) {
        failure ??= { error };
        failed.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, lanes), items.length) }, lane));
  signal.throwIfAborted();
  if (failure !== undefined) throw failure.error;
}
