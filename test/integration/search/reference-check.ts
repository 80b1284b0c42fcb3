import assert from 'node:assert/strict';
import { traceResult, type KeyValueJson, type SpanJson, type SpanSetJson, type TraceResultJson } from '../../../backend/search/trace-result.ts';
import { evaluate } from '../../../backend/traceql/evaluate.ts';
import { traceModels } from '../../../backend/traceql/trace-model.ts';
import { otlpJsonToProtobuf } from '../../../pipeline/otlp/json.ts';
import { otlpJsonRequest, type CorpusSpan } from './search-corpus.ts';

/**
 * Comparing a search answer with the reference engine (`evaluate()` over the decoded corpus): per trace ID,
 * the trace's summary and every span set whole (span IDs, matched counts, span and span-set attributes), in
 * an order-free form. Ask with `spss` at least the largest span set (SPSS_ALL) so nothing is cut.
 */

/** Spans per span set large enough that no span set of a test corpus is cut. */
export const SPSS_ALL = 100_000;

/** `/api/search`'s body, as far as the tests read it. */
export interface SearchBody {
  readonly traces?: TraceResultJson[];
  readonly metrics?: Readonly<Record<string, string | number>>;
}

/** Trace ID (as answered: leading zeros stripped) → the trace's result in canonical order. */
export type CanonicalResults = Record<string, TraceResultJson>;

/** Posts `spans` as one OTLP/JSON request; fails unless 200. */
export async function sendSpans(otlpHttpUrl: string, spans: readonly CorpusSpan[], headers: Record<string, string> = {}): Promise<void> {
  const res = await fetch(otlpHttpUrl, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(otlpJsonRequest(spans)),
  });
  assert.equal(res.status, 200, await res.text());
}

/** What the reference engine answers for `query` over `spans` (one decoded trace per trace ID). */
export function referenceResults(query: string, spans: readonly CorpusSpan[]): CanonicalResults {
  const models = traceModels(otlpJsonToProtobuf(otlpJsonRequest(spans)));
  return canonical(evaluate(query, models).map((m) => traceResult(m, SPSS_ALL)));
}

/** The traces of an answer, in the same canonical form. */
export function answeredResults(body: SearchBody): CanonicalResults {
  return canonical(body.traces ?? []);
}

function canonical(traces: readonly TraceResultJson[]): CanonicalResults {
  const out: CanonicalResults = {};
  for (const t of traces) {
    assert.equal(out[t.traceID], undefined, `trace ${t.traceID} answered twice`);
    const { spanSet: _deprecated, spanSets, ...rest } = t;
    out[t.traceID] = { ...rest, ...(spanSets === undefined ? {} : { spanSets: sortBy(spanSets.map(canonicalSet), JSON.stringify) }) };
  }
  return out;
}

function canonicalSet(ss: SpanSetJson): SpanSetJson {
  const spans = sortBy(ss.spans.map((s): SpanJson => (s.attributes === undefined ? s : { ...s, attributes: sortKeyValues(s.attributes) })), (s) => s.spanID);
  return { ...ss, spans, ...(ss.attributes === undefined ? {} : { attributes: sortKeyValues(ss.attributes) }) };
}

function sortKeyValues(kvs: readonly KeyValueJson[]): KeyValueJson[] {
  return sortBy(kvs.map(roundDouble), (kv) => `${kv.key}\u0000${JSON.stringify(kv.value)}`);
}

/** Sums of floats depend on the order spans are added in, which neither Tempo nor the tests fix: 12 digits. */
function roundDouble(kv: KeyValueJson): KeyValueJson {
  const v = kv.value as { doubleValue?: number };
  return v.doubleValue === undefined ? kv : { key: kv.key, value: { doubleValue: Number(v.doubleValue.toPrecision(12)) } };
}

function sortBy<T>(xs: readonly T[], key: (x: T) => string): T[] {
  return xs.map((x) => [key(x), x] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, x]) => x);
}

/** Fails with the differing trace IDs named first, then the whole diff. */
export function assertSameResults(actual: CanonicalResults, expected: CanonicalResults, what: string): void {
  const missing = Object.keys(expected).filter((id) => !(id in actual));
  const extra = Object.keys(actual).filter((id) => !(id in expected));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${what}: trace IDs differ from the reference`);
  assert.deepEqual(actual, expected, `${what}: span sets differ from the reference`);
}

/** Whether start times are in descending order (newest first), as Tempo answers. */
export function assertNewestFirst(body: { readonly traces?: readonly { readonly startTimeUnixNano: string }[] }): void {
  const starts = (body.traces ?? []).map((t) => BigInt(t.startTimeUnixNano));
  assert.deepEqual(starts, [...starts].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)), 'newest first');
}
