/** A generated corpus for search tests: traces of several services, statuses and attribute types, as OTLP/JSON. */

export interface CorpusSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly service: string;
  readonly name: string;
  readonly kind: number;
  readonly startNanos: bigint;
  readonly durationNanos: bigint;
  readonly statusCode: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  /** Set by enrichCorpus (rich-corpus.ts); absent in the plain corpus. */
  readonly statusMessage?: string;
  readonly arrays?: Readonly<Record<string, readonly (string | number | boolean)[]>>;
  /** Resource attributes besides service.name: the same for every span of a service. */
  readonly resource?: Readonly<Record<string, string | number | boolean>>;
  /** The instrumentation scope: the same for every span of a service. */
  readonly scope?: { readonly name: string; readonly version: string };
  readonly events?: readonly CorpusEvent[];
  readonly links?: readonly CorpusLink[];
}

export interface CorpusEvent {
  readonly name: string;
  /** After the span's start. */
  readonly offsetNanos: bigint;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

export interface CorpusLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

type Scalar = string | number | boolean;

const SERVICES = ['frontend', 'checkout', 'db', 'x'] as const;
const STATUS_CODES = [200, 200, 404, 500, 503] as const;

/** Deterministic: the same seed gives the same traces (IDs included), times relative to `nowMs`. */
export function generateCorpus(options: { traces: number; seed: number; nowMs: number; oldEvery?: number }): CorpusSpan[][] {
  let state = options.seed >>> 0;
  const rand = (): number => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const hex = (bytes: number): string => Array.from({ length: bytes }, () => Math.floor(rand() * 256).toString(16).padStart(2, '0')).join('');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const traces: CorpusSpan[][] = [];
  for (let t = 0; t < options.traces; t++) {
    // Some IDs start with zero bytes: the answer strips leading zeros.
    const traceId = (t % 5 === 0 ? '0000' + hex(14) : hex(16));
    const old = options.oldEvery !== undefined && t % options.oldEvery === 1;
    const start = BigInt(options.nowMs - (old ? 3 * 3600_000 : 60_000) - t * 997) * 1_000_000n + BigInt(t);
    const spans: CorpusSpan[] = [];
    const count = 1 + Math.floor(rand() * 6);
    for (let i = 0; i < count; i++) {
      const parent = i === 0 ? undefined : spans[Math.floor(rand() * i)]!;
      const attributes: Record<string, string | number | boolean> = { 'http.status_code': pick(STATUS_CODES) };
      if (rand() < 0.4) attributes['foo'] = pick(['bar', 'baz', 'qux']);
      if (rand() < 0.3) attributes['retry'] = rand() < 0.5;
      if (rand() < 0.3) attributes['ratio'] = Math.round(rand() * 1000) / 100;
      spans.push({
        traceId, spanId: hex(8), parentSpanId: parent?.spanId ?? '',
        service: i === 0 ? pick(['frontend', 'x']) : pick(SERVICES),
        name: pick(['GET /cart', 'POST /pay', 'SELECT', 'render']),
        kind: 1 + Math.floor(rand() * 5),
        startNanos: start + BigInt(i) * 1_000_000n,
        durationNanos: BigInt(Math.floor(rand() * 40_000_000) + 500_000),
        statusCode: rand() < 0.3 ? 2 : rand() < 0.5 ? 1 : 0,
        attributes,
      });
    }
    traces.push(spans);
  }
  return traces;
}

/**
 * One ExportTraceServiceRequest (OTLP/JSON) holding `spans`, one ResourceSpans per service (its resource and
 * scope taken from its first span).
 */
export function otlpJsonRequest(spans: readonly CorpusSpan[]): unknown {
  const byService = new Map<string, CorpusSpan[]>();
  for (const s of spans) {
    let list = byService.get(s.service);
    if (list === undefined) byService.set(s.service, (list = []));
    list.push(s);
  }
  return {
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: keyValues({ 'service.name': service, ...list[0]!.resource }) },
      scopeSpans: [{
        scope: list[0]!.scope ?? { name: 'search-it' },
        spans: list.map(spanJson),
      }],
    })),
  };
}

function spanJson(s: CorpusSpan): unknown {
  const arrays = Object.entries(s.arrays ?? {}).map(([key, vs]) => ({ key, value: { arrayValue: { values: vs.map(anyValue) } } }));
  return {
    traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, name: s.name, kind: s.kind,
    startTimeUnixNano: String(s.startNanos), endTimeUnixNano: String(s.startNanos + s.durationNanos),
    attributes: [...keyValues(s.attributes), ...arrays],
    ...(s.events === undefined ? {} : {
      events: s.events.map((e) => ({ name: e.name, timeUnixNano: String(s.startNanos + e.offsetNanos), attributes: keyValues(e.attributes) })),
    }),
    ...(s.links === undefined ? {} : { links: s.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: keyValues(l.attributes) })) }),
    status: s.statusCode === 0 ? {} : { code: s.statusCode, ...(s.statusMessage === undefined ? {} : { message: s.statusMessage }) },
  };
}

function keyValues(attributes: Readonly<Record<string, Scalar>>): unknown[] {
  return Object.entries(attributes).map(([key, v]) => ({ key, value: anyValue(v) }));
}

function anyValue(v: Scalar): unknown {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}
