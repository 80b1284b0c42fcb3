import type { MatchedField, SpanMatch, SpansetMatch, TraceMatch } from '../traceql/evaluate.ts';
import type { SpansetAttribute } from '../traceql/spanset.ts';
import type { Span, TraceModel } from '../traceql/span-model.ts';
import { anyValueJson, type AnyValueJson } from './any-value-json.ts';

export const ROOT_NOT_RECEIVED = '<root span not yet received>';

/** Span fields, not attributes: Tempo leaves these intrinsics out of a matched span's attributes. */
const NOT_ATTRIBUTES: ReadonlySet<string> = new Set(['name', 'duration', 'traceDuration', 'rootName', 'rootServiceName']);

export interface KeyValueJson {
  readonly key: string;
  readonly value: AnyValueJson;
}

export interface SpanJson {
  readonly spanID: string;
  readonly name?: string;
  readonly startTimeUnixNano: string;
  readonly durationNanos: string;
  readonly attributes?: KeyValueJson[];
}

export interface SpanSetJson {
  readonly spans: SpanJson[];
  readonly matched: number;
  readonly attributes?: KeyValueJson[];
}

export interface ServiceStatsJson {
  spanCount?: number;
  errorCount?: number;
}

/** One entry of `traces` in Tempo's SearchResponse (TraceSearchMetadata, gogo JSON). */
export interface TraceResultJson {
  readonly traceID: string;
  readonly rootServiceName?: string;
  readonly rootTraceName?: string;
  readonly startTimeUnixNano: string;
  readonly durationMs?: number;
  readonly spanSet?: SpanSetJson;
  readonly spanSets?: SpanSetJson[];
  readonly serviceStats?: Record<string, ServiceStatsJson>;
}

/** A matched trace as Tempo answers it (tempo-api.md section 4), each span set cut to its first `spss` spans. */
export function traceResult(match: TraceMatch, spss: number): TraceResultJson {
  const { trace } = match;
  const spanSets = match.spanSets.map((ss) => spanSetJson(ss, spss));
  const durationMs = Math.floor(trace.durationNanos / 1e6);
  const root = trace.root;
  return {
    traceID: stripZeros(trace.traceId),
    rootServiceName: root === undefined ? ROOT_NOT_RECEIVED : nonEmpty(serviceOf(root)),
    rootTraceName: root === undefined ? ROOT_NOT_RECEIVED : nonEmpty(root.name),
    startTimeUnixNano: String(trace.startUnixNano),
    ...(durationMs > 0 ? { durationMs } : {}),
    ...(spanSets.length > 0 ? { spanSet: spanSets[0], spanSets } : {}),
    ...serviceStatsOf(trace),
  };
}

function spanSetJson(ss: SpansetMatch, spss: number): SpanSetJson {
  const attributes = keyValues(ss.attributes);
  return {
    spans: ss.spans.slice(0, spss).map(spanJson),
    matched: ss.spans.length,
    ...(attributes.length > 0 ? { attributes } : {}),
  };
}

function spanJson({ span, attributes }: SpanMatch): SpanJson {
  const kvs = keyValues(attributes.filter((f) => !(f.scope === 'intrinsic' && NOT_ATTRIBUTES.has(f.name))));
  return {
    spanID: span.spanId.padStart(16, '0'),
    ...(span.name !== '' ? { name: span.name } : {}),
    startTimeUnixNano: String(span.startUnixNano),
    durationNanos: String(span.durationNanos),
    ...(kvs.length > 0 ? { attributes: kvs } : {}),
  };
}

function keyValues(fields: readonly (MatchedField | SpansetAttribute)[]): KeyValueJson[] {
  const out: KeyValueJson[] = [];
  for (const f of fields) {
    const value = anyValueJson(f.value);
    if (value !== undefined) out.push({ key: 'key' in f ? f.key : f.name, value });
  }
  return out;
}

/** `serviceStats` per resource service.name: spans, and spans with status error (zero counts omitted). */
function serviceStatsOf(trace: TraceModel): { serviceStats?: Record<string, ServiceStatsJson> } {
  const stats: Record<string, ServiceStatsJson> = {};
  for (const span of trace.spans) {
    const service = serviceOf(span);
    if (service === undefined) continue;
    const s = (stats[service] ??= {});
    s.spanCount = (s.spanCount ?? 0) + 1;
    if (span.statusCode === 2) s.errorCount = (s.errorCount ?? 0) + 1;
  }
  return Object.keys(stats).length > 0 ? { serviceStats: stats } : {};
}

function serviceOf(span: Span): string | undefined {
  const v = span.resource.get('service.name');
  return v?.type === 'string' ? v.value : undefined;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === '' ? undefined : s;
}

/** Tempo's default: lowercase hex without leading zeros. */
export function stripZeros(hex: string): string {
  const stripped = hex.toLowerCase().replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}
