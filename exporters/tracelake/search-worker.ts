import { parentPort, workerData } from 'node:worker_threads';
import { parseSearchQuery } from '../../backend/traceql/parse-query.ts';
import { searchBlocks } from '../../backend/search/search-blocks.ts';
import { objectStoreFor } from './object-store-for.ts';
import type { SearchJobMessage, SearchWorkerReply, SearchWorkerRequest } from './search-worker-messages.ts';
import type { ObjectStoreSettings } from './settings.ts';

/** A search thread (search-worker-pool.ts): runs block jobs with a store of its own. */
const { store } = objectStoreFor(workerData as ObjectStoreSettings);
const port = parentPort!;
const running = new Map<number, AbortController>();
/** The last query parsed: a search's jobs share it. */
let parsed: ({ text: string } & ReturnType<typeof parseSearchQuery>) | undefined;

port.on('message', (message: SearchWorkerRequest) => {
  if (message.type === 'cancel') {
    running.get(message.id)?.abort();
    return;
  }
  void handle(message);
});

/** Runs a job and always answers: the result, or the failure as text. */
async function handle(job: SearchJobMessage): Promise<void> {
  const controller = new AbortController();
  running.set(job.id, controller);
  try {
    port.postMessage({ id: job.id, result: await run(job, controller.signal) } satisfies SearchWorkerReply);
  } catch (err) {
    port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) } satisfies SearchWorkerReply);
  } finally {
    running.delete(job.id);
  }
}

function run(job: SearchJobMessage, signal: AbortSignal) {
  if (parsed?.text !== job.text) parsed = { text: job.text, ...parseSearchQuery(job.text) };
  const { pipeline: query, hints } = parsed;
  return searchBlocks(store, job.blocks, { query, range: job.range, spss: job.spss, limit: job.limit, mostRecent: hints.mostRecent }, signal);
}
