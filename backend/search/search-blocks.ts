import type { BlockMeta } from '../block/block-meta.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { NewestTraces } from './newest-traces.ts';
import { scanBlock } from './scan-block.ts';
import type { SearchJobResult } from './search-job-runner.ts';
import type { SearchRequest } from './search-request.ts';
import { traceResult } from './trace-result.ts';

/** What searching blocks needs of a request. */
export type BlockSearch = Pick<SearchRequest, 'query' | 'range' | 'spss' | 'limit' | 'mostRecent'>;

/**
 * A block job: each block scanned in turn (scanBlock), the newest `limit` matches kept as Tempo's results;
 * unless the search wants the most recent traces, the job stops at its first `limit` matches.
 */
export async function searchBlocks(store: ObjectStore, blocks: readonly BlockMeta[], search: BlockSearch, signal?: AbortSignal): Promise<SearchJobResult> {
  const found = new NewestTraces(search.limit);
  let inspectedTraces = 0;
  let inspectedBytes = 0;
  for (const meta of blocks) {
    if (found.enoughFor(search)) break;
    signal?.throwIfAborted();
    const stats = await scanBlock(store, meta, { query: search.query, range: search.range }, (match) => {
      if (found.wouldKeep(match.trace.startUnixNano)) found.add(traceResult(match, search.spss));
      return found.enoughFor(search);
    }, signal);
    inspectedTraces += stats.inspectedTraces;
    inspectedBytes += stats.inspectedBytes;
  }
  return { traces: found.list(), inspectedTraces, inspectedBytes };
}
