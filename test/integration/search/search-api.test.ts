import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { otlpJsonToProtobuf } from '../../../pipeline/otlp/json.ts';
import { evaluate } from '../../../backend/traceql/evaluate.ts';
import { traceModels } from '../../../backend/traceql/trace-model.ts';
import { removeDir, TracelakeProcess } from '../tracelake-process.ts';
import { generateCorpus, otlpJsonRequest, type CorpusSpan } from './search-corpus.ts';
import { assertNewestFirst, sendSpans } from './reference-check.ts';
import { searchJson } from './search-json.ts';

/** Each API query and the TraceQL the reference evaluates for it (the same text unless a legacy search). */
const QUERIES: ReadonlyArray<{ readonly name: string; readonly params: Record<string, string>; readonly reference: string }> = [
  { name: 'empty filter', params: { q: '{}' }, reference: '{}' },
  { name: 'int attribute', params: { q: '{ span.http.status_code >= 500 }' }, reference: '{ span.http.status_code >= 500 }' },
  { name: 'resource and duration', params: { q: '{ resource.service.name = "x" && duration > 10ms }' }, reference: '{ resource.service.name = "x" && duration > 10ms }' },
  { name: 'count pipeline', params: { q: '{ status = error } | count() > 1' }, reference: '{ status = error } | count() > 1' },
  { name: 'select', params: { q: '{ } | select(span.foo)' }, reference: '{ } | select(span.foo)' },
  { name: 'by()', params: { q: '{ status = error } | by(resource.service.name)' }, reference: '{ status = error } | by(resource.service.name)' },
  { name: 'structural', params: { q: '{ resource.service.name = "frontend" } >> { status = error }' }, reference: '{ resource.service.name = "frontend" } >> { status = error }' },
  { name: 'regex and or', params: { q: '{ name =~ "GET.*|SELECT" || span.foo = "bar" }' }, reference: '{ name =~ "GET.*|SELECT" || span.foo = "bar" }' },
  { name: 'legacy tags', params: { tags: 'service.name=checkout http.status_code=500' }, reference: '{ resource.service.name = "checkout" && span.http.status_code = 500 }' },
  { name: 'legacy tags with durations', params: { tags: 'foo=bar', minDuration: '20ms', maxDuration: '1s' }, reference: '{ span.foo = "bar" && traceDuration >= 20ms && traceDuration <= 1s }' },
];

interface Found { readonly matched: number[]; readonly spans: number[] }

describe('GET /api/search against the reference engine, live and from blocks', function () {
  this.timeout(120_000);
  const nowMs = Date.now();
  const corpus = generateCorpus({ traces: 120, seed: 7, nowMs, oldEvery: 10 });
  // Spans added to some traces after they are in blocks: those traces are split between a block and live data.
  const late = generateCorpus({ traces: 120, seed: 99, nowMs }).filter((_, i) => i % 7 === 3).map((spans, i) => {
    const target = corpus[i * 7 + 3]!;
    return spans.map((s): CorpusSpan => ({ ...s, traceId: target[0]!.traceId, parentSpanId: target[0]!.spanId, statusCode: 2, service: 'x' }));
  });
  let proc: TracelakeProcess | undefined;

  before(async function () {
    proc = await TracelakeProcess.start({ ingester: { trace_idle_period: '30s', max_block_duration: '5m' } });
    for (let i = 0; i < corpus.length; i += 20) await send(proc, corpus.slice(i, i + 20).flat());
  });

  after(async function () {
    if (proc === undefined) return;
    await proc.stop('SIGKILL');
    await removeDir(proc.dir);
  });

  const range = (): Record<string, string> => ({ start: String(Math.floor(nowMs / 1000) - 4 * 3600), end: String(Math.floor(nowMs / 1000) + 600) });

  /**
   * `parts`: how the traces are stored, each part evaluated on its own as Tempo does (a block, the live
   * traces), the results of one trace combined; `spans`: every trace whole.
   */
  function checkAll(phase: string, spans: () => CorpusSpan[][], parts: () => CorpusSpan[][] = () => [spans().flat()]): void {
    for (const q of QUERIES) {
      it(`answers exactly the reference's traces and matched counts for ${q.name} (${phase})`, async function () {
        const expected = combinedReference(q.reference, parts());
        const body = await search(proc!, { ...q.params, ...range(), limit: '1000', spss: '2' });
        assert.deepEqual(found(body), expected);
        assertNewestFirst(body);
      });
    }

    it(`keeps the newest traces within limit with most_recent, the first found without, and only traces in start/end (${phase})`, async function () {
      const body = await search(proc!, { q: '{} with (most_recent=true)', limit: '5', ...range() });
      const all = await search(proc!, { q: '{}', limit: '1000', ...range() });
      assert.deepEqual(body.traces!.map((t) => t.traceID), all.traces!.slice(0, 5).map((t) => t.traceID));
      const first = await search(proc!, { q: '{}', limit: '5', ...range() });
      const ids = new Set(all.traces!.map((t) => t.traceID));
      assert.equal(first.traces!.length, 5);
      assert.ok(first.traces!.every((t) => ids.has(t.traceID)));
      const start = Math.floor(nowMs / 1000) - 3600;
      const recent = await search(proc!, { q: '{}', limit: '1000', start: String(start), end: String(Math.floor(nowMs / 1000) + 600) });
      const inRange = spans().filter((trace) => trace.some((s) => s.startNanos + s.durationNanos >= BigInt(start) * 1_000_000_000n));
      assert.ok(inRange.length < corpus.length);
      assert.equal(recent.traces!.length, inRange.length);
    });
  }

  describe('while the traces are live', function () {
    checkAll('live', () => corpus);

    it('answers 400 with the position for bad TraceQL, and for tags with q', async function () {
      const res = await fetch(proc!.apiUrl(`/api/search?q=${encodeURIComponent('{ span.foo = }')}`));
      assert.equal(res.status, 400);
      assert.match(await res.text(), /^invalid TraceQL query: parse error at line 1, col 14: /);
      const both = await fetch(proc!.apiUrl('/api/search?q=%7B%7D&tags=a%3Db'));
      assert.equal(both.status, 400);
      const zero = await fetch(proc!.apiUrl('/api/search?limit=0'));
      assert.equal(zero.status, 400);
    });
  });

  describe('after a restart, from blocks', function () {
    before(async function () {
      await proc!.stop('SIGTERM');
      proc = await proc!.restart({ ingester: { trace_idle_period: '30s', max_block_duration: '5m' } });
    });

    it('holds every trace in blocks, none in the WAL', async function () {
      const tenants = await readdir(proc!.blocksDir);
      assert.ok(tenants.length > 0);
      assert.match(proc!.output, /"spans":0[^\n]*"msg":"wal replayed"|"msg":"wal replayed"[^\n]*"spans":0/);
      const stats = await search(proc!, { q: '{}', limit: '1000', ...range() });
      assert.equal(stats.traces!.length, corpus.length);
    });

    checkAll('blocks', () => corpus);
  });

  describe('with traces split between a block and live spans', function () {
    before(async function () {
      await send(proc!, late.flat());
    });

    checkAll(
      'split',
      () => corpus.map((spans) => [...spans, ...late.filter((l) => l[0]!.traceId === spans[0]!.traceId).flat()]),
      () => [corpus.flat(), late.flat()],
    );
  });
});

function send(proc: TracelakeProcess, spans: readonly CorpusSpan[]): Promise<void> {
  return sendSpans(proc.otlpHttpUrl, spans);
}

interface SearchBody {
  traces?: { traceID: string; startTimeUnixNano: string; spanSets: { matched: number; spans: unknown[] }[] }[];
}

function search(proc: TracelakeProcess, params: Record<string, string>): Promise<SearchBody> {
  return searchJson<SearchBody>(proc, params);
}

/** Trace ID (leading zeros stripped) → matched counts of its span sets (sorted) and spans shown (spss 2). */
function found(body: SearchBody): Record<string, Found> {
  const out: Record<string, Found> = {};
  for (const t of body.traces ?? []) {
    out[t.traceID] = { matched: t.spanSets.map((s) => s.matched).sort(), spans: t.spanSets.map((s) => s.spans.length).sort() };
  }
  return out;
}

/**
 * The reference over parts evaluated apart, combined as Tempo's combiner does: span sets with the same by()
 * values once, with the larger match count.
 */
function combinedReference(query: string, parts: readonly (readonly CorpusSpan[])[]): Record<string, Found> {
  const sets = new Map<string, Map<string, number>>();
  for (const spans of parts) {
    for (const m of evaluate(query, traceModels(otlpJsonToProtobuf(otlpJsonRequest(spans))))) {
      const id = m.trace.traceId.replace(/^0+/, '');
      const byId = sets.get(id) ?? new Map<string, number>();
      sets.set(id, byId);
      for (const ss of m.spanSets) {
        const key = ss.attributes.filter((a) => a.key.startsWith('by')).map((a) => `${a.key}=${JSON.stringify(a.value)}`).join(',');
        byId.set(key, Math.max(byId.get(key) ?? 0, ss.spans.length));
      }
    }
  }
  const out: Record<string, Found> = {};
  for (const [id, byId] of sets) {
    const matched = [...byId.values()];
    out[id] = { matched: [...matched].sort(), spans: matched.map((n) => Math.min(2, n)).sort() };
  }
  return out;
}
