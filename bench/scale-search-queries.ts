/**
 * The queries the search-at-scale bench runs, with the number of traces each must match as counted while the
 * corpus was generated (scale-corpus.ts), where it is known.
 */
import type { ScaleCorpusManifest } from './scale-corpus.ts';

export interface ScaleQuery {
  readonly label: string;
  readonly q: string;
  /** Traces of the corpus that match; undefined when the generator does not count them. */
  readonly expected?: number;
}

/** (a) a single-attribute match and (b) a two-condition query: scanned whole (limit above every match). */
export function throughputQueries(m: ScaleCorpusManifest): ScaleQuery[] {
  return [
    { label: 'single attribute', q: '{ span.http.status_code = 503 }', expected: m.counts.has503 },
    { label: 'two conditions', q: '{ resource.service.name = "checkout" && duration > 100ms }', expected: m.counts.slowCheckout },
  ];
}

/** Searches as Grafana's Search tab sends them (limit 20): each must find 20 traces in this corpus. */
export function grafanaQueries(m: ScaleCorpusManifest): ScaleQuery[] {
  return [
    { label: 'empty filter', q: '{}', expected: m.traces },
    { label: 'service', q: '{resource.service.name="frontend"}' },
    { label: 'errors', q: '{status=error}', expected: m.counts.hasError },
    { label: 'builder, 4 filters', q: '{resource.service.name="frontend" && name="GET /api/cart" && span.http.status_code=200 && duration>10ms}' },
    ...throughputQueries(m),
  ];
}

/** Unix seconds covering every trace of the corpus. */
export function corpusRange(m: ScaleCorpusManifest): { start: number; end: number } {
  return { start: m.baseUnixSeconds - 60, end: m.baseUnixSeconds + m.windowSeconds + 3600 };
}
