/** A block for scan tests: the search corpus with attribute edge cases mixed in, plus hand-made odd traces. */
import type { BlockMeta, TraceEntry } from '../../../backend/block/block-meta.ts';
import { BlockIterator } from '../../../backend/block/block-iterator.ts';
import { compareTraceIds } from '../../../backend/block/trace-id.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import type { ObjectStore } from '../../../backend/storage/object-store.ts';
import { traceModel } from '../../../backend/traceql/trace-model.ts';
import type { TraceModel } from '../../../backend/traceql/span-model.ts';
import { otlpJsonToProtobuf } from '../../../pipeline/otlp/json.ts';
import { generateCorpus, otlpJsonRequest } from '../../integration/search/search-corpus.ts';
import { edgeTrace, traceWithOddAttribute } from '../block/otlp-edge-cases.ts';
import { encodeTracesData } from '../block/otlp-semantics.ts';

const NOW_MS = 1_750_000_000_000;

type JsonKv = { key: string; value?: Record<string, unknown> };
type JsonSpan = { attributes: JsonKv[] };
type JsonRequest = { resourceSpans: { resource: { attributes: JsonKv[] }; scopeSpans: { spans: JsonSpan[] }[] }[] };

/** Deterministic extra attributes: the same key as a resource attribute, other value types, a repeated key. */
function addEdgeAttributes(request: JsonRequest, seed: number): void {
  let state = seed >>> 0;
  const rand = (): number => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  for (const rs of request.resourceSpans) {
    if (rand() < 0.2) rs.resource.attributes.push({ key: 'foo', value: { stringValue: rand() < 0.5 ? 'bar' : 'res' } });
    if (rand() < 0.1) rs.resource.attributes.push({ key: 'http.status_code', value: { intValue: '503' } });
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        const r = rand();
        if (r < 0.05) span.attributes.push({ key: 'service.name', value: { stringValue: 'x' } });
        else if (r < 0.1) span.attributes.push({ key: 'http.status_code', value: { doubleValue: 503 } });
        else if (r < 0.15) span.attributes.unshift({ key: 'http.status_code', value: { stringValue: '503' } });
        else if (r < 0.2) span.attributes.push({ key: 'ratio', value: { intValue: '3' } });
        else if (r < 0.23) span.attributes.push({ key: 'foo', value: { arrayValue: { values: [{ stringValue: 'bar' }, { intValue: '1' }] } } });
        else if (r < 0.26) span.attributes.push({ key: 'foo' });
        else if (r < 0.29) span.attributes.push({ key: 'retry', value: { bytesValue: 'AAE=' } });
      }
    }
  }
}

/** `traces` corpus traces and (unless `odd` is false) the odd ones, sorted by trace ID, with their times. */
export function scanEntries(traces: number, seed: number, odd = true): TraceEntry[] {
  const entries: TraceEntry[] = generateCorpus({ traces, seed, nowMs: NOW_MS, oldEvery: 7 }).map((spans) => {
    const request = otlpJsonRequest(spans) as JsonRequest;
    addEdgeAttributes(request, seed + spans.length + Number.parseInt(spans[0].traceId.slice(-6), 16));
    return entryOf(otlpJsonToProtobuf(request));
  });
  if (odd) entries.push(entryOf(edgeTrace()), entryOf(traceWithOddAttribute('00000000000000000000000000000abc').trace), entryOf(wrapTrace()));
  return entries.sort((a, b) => compareTraceIds(a.traceId, b.traceId));
}

/** Spans whose end − start wraps around 64 bits, both ways, modelled in columns (no span kept as bytes). */
function wrapTrace(): Uint8Array {
  const traceId = Buffer.from('00000000000000000000000000000def', 'hex').toString('base64');
  const span = (n: number, start: string, end: string) => ({
    traceId, spanId: Buffer.from(`00000000000000${n}0`, 'hex').toString('base64'), name: 'wrap', startTimeUnixNano: start, endTimeUnixNano: end,
  });
  return encodeTracesData({
    resourceSpans: [{ scopeSpans: [{ spans: [span(1, '1', '18446744073709551615'), span(2, '18446744073709551615', '1'), span(3, '9300000000000000000', '9300000000000000001')] }] }],
  });
}

function entryOf(trace: Uint8Array): TraceEntry {
  const model = traceModel(trace);
  return {
    traceId: Buffer.from(model.traceId, 'hex'), trace, spanCount: model.spans.length,
    startUnixNano: Number(model.startUnixNano), endUnixNano: Number(model.endUnixNano),
  };
}

export async function writeScanBlock(store: ObjectStore, entries: TraceEntry[], blockID: string, format: 'tl1' | 'tl2', pageSize?: number): Promise<BlockMeta> {
  return writeBlock(store, { tenantID: 't', blockID, entries, bloomFalsePositive: 0.01, format, ...(pageSize === undefined ? {} : { pageSize }) });
}

/** Every stored trace of the block, decoded whole: what the reference engine is run over. */
export async function storedTraces(store: ObjectStore, meta: BlockMeta): Promise<TraceModel[]> {
  const it = await BlockIterator.open(store, meta);
  const out: TraceModel[] = [];
  for (let record = await it.next(); record !== undefined; record = await it.next()) out.push(traceModel(record.trace));
  return out;
}
