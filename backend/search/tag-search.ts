import type { Logger } from 'pino';
import type { BlockList } from '../db/block-list.ts';
import type { SearchSource } from '../querier/search-source.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { FieldRef } from '../traceql/ast.ts';
import { traceModel } from '../traceql/trace-model.ts';
import { gatherTraces } from './gather-traces.ts';
import { blockTags } from './tag-blocks.ts';
import { matchingSpans, MAX_TAG_BYTES, TagNameCollector, TagValueCollector, type TagBounds } from './tag-collect.ts';
import type { TagNamesAnswer, TagScan, TagService, TagValuesAnswer } from './tag-service.ts';
import { nameTarget, valueTarget, type TagTarget } from './tag-target.ts';

export interface TagSearchOptions {
  /**
   * Sources read trace by trace with the reference engine, each trace's parts merged: the unflushed traces
   * (asked before blocks), and blocks too when `blocks` is absent.
   */
  readonly sources: readonly SearchSource[];
  /** The tenant's blocks, read by tag-blocks.ts (columns of tl2 row groups); absent when this process reads none. */
  readonly blocks?: { readonly list: BlockList; readonly store: ObjectStore };
  readonly logger: Logger;
}

/**
 * Tag names and values: the sources' traces first (their parts merged, so `q` sees whole traces, then the
 * spans `q` matches, all without one), then the blocks of the range newest first, each on its own
 * (blockTags). Collecting stops once the scan's `limit` is held or the answer reaches MAX_TAG_BYTES.
 */
export class TagSearch implements TagService {
  readonly #o: TagSearchOptions;

  constructor(options: TagSearchOptions) {
    this.#o = options;
  }

  async tagNames(tenant: string, scan: TagScan, signal?: AbortSignal): Promise<TagNamesAnswer> {
    const names = new TagNameCollector(bounds(scan));
    const inspectedBytes = await this.#collect(tenant, scan, nameTarget(names), signal);
    return { names: names.result(), inspectedBytes };
  }

  async tagValues(tenant: string, field: FieldRef, scan: TagScan, signal?: AbortSignal): Promise<TagValuesAnswer> {
    const values = new TagValueCollector(field, bounds(scan));
    const inspectedBytes = await this.#collect(tenant, scan, valueTarget(values), signal);
    return { values: values.result(), inspectedBytes };
  }

  /** Feeds the target from the sources, then the blocks; returns the bytes read. */
  async #collect(tenant: string, scan: TagScan, target: TagTarget, signal?: AbortSignal): Promise<number> {
    const { traces, candidates, inspectedBytes } = await gatherTraces(this.#o.sources, tenant, scan.range, signal);
    let bytes = inspectedBytes;
    for (const merged of traces) {
      signal?.throwIfAborted();
      const trace = traceModel(merged.trace);
      for (const span of matchingSpans(trace, scan.filter)) target.addSpan(span, trace);
    }
    const blocks = this.#o.blocks;
    let read = 0;
    if (blocks !== undefined && !target.full) {
      const newestFirst = blocks.list.inRange(tenant, scan.range).sort((a, b) => Date.parse(b.endTime) - Date.parse(a.endTime));
      for (const meta of newestFirst) {
        if (target.full) break;
        signal?.throwIfAborted();
        bytes += await blockTags(blocks.store, meta, scan, target, signal);
        read++;
      }
    }
    this.#o.logger.debug({ tenant, candidates, traces: traces.length, blocks: read, full: target.full }, 'tag scan done');
    return bytes;
  }
}

function bounds(scan: TagScan): TagBounds {
  return { limit: scan.limit ?? 0, maxBytes: MAX_TAG_BYTES };
}
