/** A generated corpus for the metrics tests, with a straightforward reference of Tempo's metrics semantics. */
import { encodeTrace, type SpanSpec } from '../traceql/trace-builder.ts';
import type { SearchSource } from '../../../backend/querier/search-source.ts';

/** The trace builder's base time: span `startMs` counts from here. */
export const BASE_SECONDS = 1_700_000_000;
export const SERVICES = ['api', 'db', 'web'] as const;
const NAMES = ['get', 'put', 'list'];

export interface CorpusSpan {
  readonly traceId: string;
  readonly service: string;
  readonly name: string;
  readonly status: number;
  /** Nanoseconds. */
  readonly start: bigint;
  readonly durationNanos: number;
  readonly size: number | undefined;
}

export interface Corpus {
  readonly traces: { readonly id: string; readonly bytes: Uint8Array }[];
  readonly spans: readonly CorpusSpan[];
}

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `traces` traces of 1–6 spans each over services and names, starting over [-60 s, 660 s) from the base (so
 * some fall outside a 0–600 s query), some exactly on whole minutes; durations 1 ns – 3 s; `span.size` ints,
 * missing on every fifth span; every third span an error.
 */
export function generateCorpus(traces: number, seed = 7): Corpus {
  const rnd = random(seed);
  const out: Corpus['traces'][number][] = [];
  const spans: CorpusSpan[] = [];
  let n = 0;
  for (let t = 0; t < traces; t++) {
    const id = `f${(t + 1).toString(16).padStart(31, '0')}`;
    const byService = new Map<string, SpanSpec[]>();
    const count = 1 + Math.floor(rnd() * 6);
    for (let s = 0; s < count; s++, n++) {
      const service = SERVICES[Math.floor(rnd() * SERVICES.length)];
      const name = NAMES[Math.floor(rnd() * NAMES.length)];
      const startMs = n % 17 === 0 ? 60_000 * Math.floor(rnd() * 11) : Math.floor(rnd() * 720_000) - 60_000;
      const durationMs = n % 13 === 0 ? 0.000001 : Math.round(rnd() * 3_000_000) / 1000;
      const size = n % 5 === 0 ? undefined : 1 + Math.floor(rnd() * 5000);
      const status = n % 3 === 0 ? 2 : 0;
      const spec: SpanSpec = { id: `s${s}`, parent: s === 0 ? undefined : 's0', name, status, startMs, durationMs, attrs: size === undefined ? {} : { size } };
      let list = byService.get(service);
      if (list === undefined) byService.set(service, (list = []));
      list.push(spec);
      spans.push({
        traceId: id, service, name, status, start: BigInt(BASE_SECONDS) * 1_000_000_000n + BigInt(startMs) * 1_000_000n,
        durationNanos: Math.round(durationMs * 1_000_000), size,
      });
    }
    const resources = [...byService].map(([service, list]) => ({ attrs: { 'service.name': service }, spans: list }));
    out.push({ id, bytes: encodeTrace(resources, id) });
  }
  return { traces: out, spans };
}

/** A live source serving the corpus, each trace in the given number of parts (split by resource). */
export function corpusSource(corpus: Corpus): SearchSource {
  return {
    async searchCandidates(_tenant, _range, visit) {
      for (const t of corpus.traces) visit(Buffer.from(t.id, 'hex'), t.bytes);
    },
  };
}

/** The sample timestamps (ms) of a range query over [start, end] seconds with a step in seconds, as Tempo aligns it. */
export function referenceTimestamps(start: number, end: number, step: number): number[] {
  let s = Math.floor(start / step) * step;
  const e = Math.ceil(end / step) * step;
  if (s > step) s -= step;
  const out: number[] = [];
  for (let t = s + step; t <= e; t += step) out.push(t * 1000);
  return out;
}

/** The timestamp (ms) of the interval `(t - step, t]` holding a span start, or undefined. */
export function referenceSlot(startNs: bigint, timestampsMs: readonly number[], stepMs: number): number | undefined {
  for (const t of timestampsMs) {
    const right = BigInt(t) * 1_000_000n;
    if (startNs > right - BigInt(stepMs) * 1_000_000n && startNs <= right) return t;
  }
  return undefined;
}

/**
 * Tempo's Log2Quantile, written out from its description, over the bucket bound of each value: the bucket of
 * the ceil(p·n)-th value, interpolated on a log2 scale from the previous bound (half the bound for the first).
 */
export function referenceQuantile(p: number, bounds: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const b of bounds) counts.set(b, (counts.get(b) ?? 0) + 1);
  const buckets = [...counts].sort((a, b) => a[0] - b[0]);
  const want = Math.max(1, Math.ceil(p * bounds.length));
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    const [bound, count] = buckets[i];
    if (seen + count >= want) {
      if (seen + count === want) return bound;
      const lower = i === 0 ? Math.log2(bound) - 1 : Math.log2(buckets[i - 1][0]);
      return 2 ** (lower + (Math.log2(bound) - lower) * ((want - seen) / count));
    }
    seen += count;
  }
  return buckets[buckets.length - 1][0];
}

/**
 * Tempo's avg_over_time arithmetic, written out from its description: the mean moves by v/n - mean/n for
 * each value, those steps summed with Neumaier's compensation, which is added at the end.
 */
export function referenceMean(values: readonly number[]): number {
  let mean = values[0];
  let comp = 0;
  for (let n = 2; n <= values.length; n++) {
    const inc = values[n - 1] / n - mean / n;
    const t = mean + inc;
    comp += Math.abs(mean) >= Math.abs(inc) ? (mean - t) + inc : (inc - t) + mean;
    mean = t;
  }
  return mean + comp;
}
