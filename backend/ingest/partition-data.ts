import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { TraceEntry } from '../block/block-meta.ts';
import { compareTraceIds } from '../block/trace-id.ts';
import { traceKey } from '../ingester/trace-key.ts';
import type { VisitPart } from '../querier/search-source.ts';
import type { TimeRange } from '../querier/trace-source.ts';
import type { TraceBatch } from '../../pipeline/trace-batch.ts';
import { encodeHeldTrace, type HeldTrace } from './held-trace.ts';

const TRACES_PER_SLICE = 500;

/**
 * The records of one Kafka partition consumed since its last flush, held in memory (Kafka keeps them until
 * their offsets are committed, so this is the only copy the ingester needs) and indexed by tenant and trace
 * ID so queries find them at once. Cut, it becomes one block per tenant.
 */
export class PartitionData {
  /** Offset of the last record added; -1 before the first. */
  lastOffset = -1;
  /** Record value bytes held. */
  bytes = 0;
  spans = 0;
  /** When the first record was added (ms); the range is cut max_block_duration later. */
  readonly firstAddedMs: number;
  readonly #tenants = new Map<string, Map<string, HeldTrace>>();

  constructor(nowMs: number) {
    this.firstAddedMs = nowMs;
  }

  /** Indexes the record's spans; `bytes` is its size, counted against the ingester's memory budget. */
  add(offset: number, tenant: string, batch: TraceBatch, bytes: number): void {
    this.lastOffset = offset;
    this.bytes += bytes;
    if (batch.spanCount === 0) return;
    let traces = this.#tenants.get(tenant);
    if (traces === undefined) this.#tenants.set(tenant, (traces = new Map()));
    for (const resource of batch.resourceSpans) {
      for (const scope of resource.scopeSpans) {
        for (const span of scope.spans) {
          const key = traceKey(span.traceId);
          let trace = traces.get(key);
          if (trace === undefined) {
            traces.set(key, (trace = { id: span.traceId, spans: [], startUnixNano: Infinity, endUnixNano: -Infinity }));
          }
          trace.spans.push({ resource, scope, span });
          if (span.startUnixNano < trace.startUnixNano) trace.startUnixNano = span.startUnixNano;
          if (span.endUnixNano > trace.endUnixNano) trace.endUnixNano = span.endUnixNano;
        }
      }
    }
    this.spans += batch.spanCount;
  }

  get traceCount(): number {
    let n = 0;
    for (const traces of this.#tenants.values()) n += traces.size;
    return n;
  }

  /** The held part of a trace as an encoded Trace, or undefined. */
  tracePart(tenant: string, traceId: Uint8Array, range?: TimeRange): Uint8Array | undefined {
    const trace = this.#tenants.get(tenant)?.get(traceKey(traceId));
    if (trace === undefined) return undefined;
    if (range && !(trace.startUnixNano < (range.end + 1) * 1e9 && trace.endUnixNano >= range.start * 1e9)) return undefined;
    return encodeHeldTrace(trace);
  }

  /** Every held trace of `tenant` that may overlap `range`, as an encoded Trace each (a search's candidates). */
  searchParts(tenant: string, range: TimeRange | undefined, visit: VisitPart): void {
    for (const trace of this.#tenants.get(tenant)?.values() ?? []) {
      if (range && !(trace.startUnixNano < (range.end + 1) * 1e9 && trace.endUnixNano >= range.start * 1e9)) continue;
      visit(trace.id, encodeHeldTrace(trace));
    }
  }

  /**
   * Each tenant's traces as block entries, sorted by trace ID. Encoded a slice at a time, letting the event
   * loop run in between: consumption and queries go on while a large range is prepared.
   */
  async blockEntries(): Promise<[tenant: string, entries: TraceEntry[]][]> {
    const out: [string, TraceEntry[]][] = [];
    let encoded = 0;
    for (const [tenant, traces] of this.#tenants) {
      const entries: TraceEntry[] = [];
      for (const t of [...traces.values()].sort((a, b) => compareTraceIds(a.id, b.id))) {
        entries.push({ traceId: t.id, trace: encodeHeldTrace(t), startUnixNano: t.startUnixNano, endUnixNano: t.endUnixNano, spanCount: t.spans.length });
        if (++encoded % TRACES_PER_SLICE === 0) await yieldToEventLoop();
      }
      out.push([tenant, entries]);
    }
    return out;
  }
}
