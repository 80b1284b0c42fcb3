import { parentPort, workerData } from 'node:worker_threads';
import { LiveIntervals } from '../../backend/metrics/live-intervals.ts';
import { metricsBlocks } from '../../backend/metrics/metrics-blocks.ts';
import type { MetricsJobResult } from '../../backend/metrics/metrics-job.ts';
import { parseMetricsQuery, parseSearchQuery } from '../../backend/traceql/parse-query.ts';
import { searchBlocks } from '../../backend/search/search-blocks.ts';
import type { SearchJobResult } from '../../backend/search/search-job-runner.ts';
import { objectStoreFor } from './object-store-for.ts';
import type { JobMessage, MetricsJobMessage, SearchJobMessage, SearchWorkerReply, SearchWorkerRequest } from './search-worker-messages.ts';
import type { ObjectStoreSettings } from './settings.ts';

/** A search thread (search-worker-pool.ts): runs block jobs of searches and metrics queries with a store of its own. */
const { store } = objectStoreFor(workerData as ObjectStoreSettings);
const port = parentPort!;
const running = new Map<number, AbortController>();
/** The last query parsed, per kind: a query's jobs share it. */
let parsed: ({ text: string } & ReturnType<typeof parseSearchQuery>) | undefined;
let parsedMetrics: { text: string; query: ReturnType<typeof parseMetricsQuery> } | undefined;

port.on('message', (message: SearchWorkerRequest) => {
  if (message.type === 'cancel') {
    running.get(message.id)?.abort();
    return;
  }
  void handle(message);
});

/** Runs a job and always answers: the result, or the failure as text. */
async function handle(job: JobMessage): Promise<void> {
  const controller = new AbortController();
  running.set(job.id, controller);
  try {
    const result = await (job.type === 'search' ? search(job, controller.signal) : metrics(job, controller.signal));
    port.postMessage({ id: job.id, result } satisfies SearchWorkerReply);
  } catch (err) {
    port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) } satisfies SearchWorkerReply);
  } finally {
    running.delete(job.id);
  }
}

function search(job: SearchJobMessage, signal: AbortSignal): Promise<SearchJobResult> {
  if (parsed?.text !== job.text) parsed = { text: job.text, ...parseSearchQuery(job.text) };
  const { pipeline: query, hints } = parsed;
  return searchBlocks(store, job.blocks, { query, range: job.range, spss: job.spss, limit: job.limit, mostRecent: hints.mostRecent }, signal);
}

function metrics(job: MetricsJobMessage, signal: AbortSignal): Promise<MetricsJobResult> {
  if (parsedMetrics?.text !== job.text) parsedMetrics = { text: job.text, query: parseMetricsQuery(job.text) };
  const request = { text: job.text, query: parsedMetrics.query, grid: job.grid, exemplars: job.exemplars };
  return metricsBlocks(store, job.blocks, { request, live: LiveIntervals.parse(job.live) ?? LiveIntervals.NONE }, signal);
}
