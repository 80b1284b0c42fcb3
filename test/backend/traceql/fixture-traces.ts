/** Three hand-built traces for the evaluation tests, and a compact rendering of evaluate() results. */
import { evaluate } from '../../../backend/traceql/evaluate.ts';
import type { TraceMatch } from '../../../backend/traceql/evaluate.ts';
import type { TraceModel } from '../../../backend/traceql/span-model.ts';
import { buildTrace } from './trace-builder.ts';

export const T1_ID = '11111111111111111111111111111111';
export const T2_ID = '22222222222222222222222222222222';
export const T3_ID = '33333333333333333333333333333333';

/**
 * T1: GET /api/cart (frontend, server) → checkout call (client, error) → POST /checkout (checkout, server)
 *     → { SELECT (client), publish (producer, ok) → consume (worker, consumer) → internal work (internal) }
 */
export const T1 = buildTrace([
  {
    attrs: { 'service.name': 'frontend', 'deployment.environment': 'prod' },
    spans: [
      { id: 'root', name: 'GET /api/cart', kind: 2, startMs: 0, durationMs: 200,
        attrs: { 'http.method': 'GET', 'http.status_code': 200, 'http.route': '/api/cart' } },
      { id: 'c1', parent: 'root', name: 'checkout call', kind: 3, status: 2, statusMessage: 'upstream failed',
        startMs: 10, durationMs: 150, attrs: { 'http.status_code': 500, retry: true, 'deployment.environment': 'canary' } },
    ],
  },
  {
    attrs: { 'service.name': 'checkout' },
    spans: [
      { id: 'srv', parent: 'c1', name: 'POST /checkout', kind: 2, startMs: 20, durationMs: 120,
        attrs: { 'http.method': 'POST', ratio: { double: 0.25 }, tags: { array: ['a', 'b'] } } },
      { id: 'db', parent: 'srv', name: 'SELECT', kind: 3, startMs: 30, durationMs: 5, attrs: { 'db.system': 'postgres', rows: 42 } },
      { id: 'q', parent: 'srv', name: 'publish', kind: 4, status: 1, startMs: 40, durationMs: 1 },
    ],
  },
  {
    attrs: { 'service.name': 'worker' },
    scope: { name: 'kafkajs', version: '2.2.4', attrs: { language: 'nodejs' } },
    spans: [
      { id: 'cons', parent: 'q', name: 'consume', kind: 5, startMs: 50, durationMs: 2 },
      { id: 'int', parent: 'cons', name: 'internal work', kind: 1, startMs: 51, durationMs: 1,
        attrs: { 'a b': 'spaced', count: 3, kv: { kvlist: { x: 'y' } }, raw: new Uint8Array([1]) } },
    ],
  },
], T1_ID);

/** T2: one unspecified-kind span of 1s in service "lonely"; its http.status_code is a string. */
export const T2 = buildTrace([
  { attrs: { 'service.name': 'lonely' }, spans: [{ id: 'cron', name: 'cron', durationMs: 1000, attrs: { 'http.status_code': '200', ratio: 1 } }] },
], T2_ID);

/** T3: a span whose parent never arrived: the trace has no root. */
export const T3 = buildTrace([
  { attrs: { 'service.name': 'frontend' }, spans: [{ id: 'orph', parent: 'gone', name: 'orphan', kind: 2, durationMs: 1 }] },
], T3_ID);

export const ALL: readonly TraceModel[] = [T1, T2, T3];

const LABELS: Readonly<Record<string, string>> = { [T1_ID]: 'T1', [T2_ID]: 'T2', [T3_ID]: 'T3' };

/** `T1[GET /api/cart,SELECT]` per spanset of each matching trace. */
export function render(matches: readonly TraceMatch[]): string[] {
  return matches.flatMap((m) => m.spanSets.map((ss) => `${LABELS[m.trace.traceId]}[${ss.spans.map((s) => s.span.name).join(',')}]`));
}

export function run(query: string, traces: readonly TraceModel[] = ALL): string[] {
  return render(evaluate(query, traces));
}
