import assert from 'node:assert/strict';
import { evaluate } from '../../../backend/traceql/evaluate.ts';
import { traceModels } from '../../../backend/traceql/trace-model.ts';
import { otlpJsonToProtobuf } from '../../../pipeline/otlp/json.ts';
import { removeDir, TracelakeProcess } from '../tracelake-process.ts';
import { sendSpans } from './reference-check.ts';
import { generateCorpus, otlpJsonRequest, type CorpusSpan } from './search-corpus.ts';

interface Typed { readonly type: string; readonly value: string }

const INTRINSICS = [
  'duration', 'kind', 'name', 'rootName', 'rootServiceName', 'status', 'statusMessage', 'traceDuration',
  'event:name', 'event:timeSinceStart', 'link:spanID', 'link:traceID', 'instrumentation:name',
  'instrumentation:version', 'trace:id', 'span:id', 'span:parentID', 'span:status', 'span:statusMessage',
  'span:duration', 'span:name', 'span:kind', 'trace:rootName', 'trace:rootService', 'trace:duration',
];

describe('tag names and values against a reference over the corpus, live and from blocks', function () {
  this.timeout(120_000);
  const nowMs = Date.now();
  const nowS = Math.floor(nowMs / 1000);
  const oldBefore = BigInt(nowMs - 3600_000) * 1_000_000n;
  // Old traces (3 h ago) carry an `era` attribute no recent trace has: a range leaving them out loses it.
  // Some spans have a whole `ratio` (sent as an int) beside the doubles: one key, two types. One has a `/` in a key.
  const corpus = generateCorpus({ traces: 100, seed: 11, nowMs, oldEvery: 10 }).map((trace, t) => trace.map((s, i): CorpusSpan => {
    const attributes = { ...s.attributes, ...(s.startNanos < oldBefore ? { era: 'old' } : {}), ...(t % 4 === 0 && i === 0 ? { ratio: 3 } : {}),
      ...(t === 2 && i === 0 ? { 'path/to': 'x' } : {}) };
    return { ...s, attributes };
  }));
  const spans = corpus.flat();
  const wide = { start: String(nowS - 4 * 3600), end: String(nowS + 600) };
  const recent = { start: String(nowS - 3600), end: String(nowS + 600) };
  let proc: TracelakeProcess | undefined;

  before(async function () {
    proc = await TracelakeProcess.start({ ingester: { trace_idle_period: '30s', max_block_duration: '5m' } });
    for (let i = 0; i < corpus.length; i += 20) await sendSpans(proc.otlpHttpUrl, corpus.slice(i, i + 20).flat());
  });

  after(async function () {
    if (proc === undefined) return;
    await proc.stop('SIGKILL');
    await removeDir(proc.dir);
  });

  function checkAll(phase: string): void {
    it(`lists v1 tag names: resource and span attribute names (${phase})`, async function () {
      const body = await get<{ tagNames: string[]; metrics: { inspectedBytes?: string } }>(proc!, '/api/search/tags', {});
      assert.deepEqual(body.tagNames, sorted(['service.name', ...spans.flatMap((s) => Object.keys(s.attributes))]));
      assert.match(body.metrics.inspectedBytes ?? '', /^[1-9][0-9]*$/);
      const intrinsic = await get<{ tagNames: string[] }>(proc!, '/api/search/tags', { scope: 'intrinsic' });
      assert.deepEqual(intrinsic.tagNames, sorted(INTRINSICS));
    });

    it(`lists v2 scopes, scope=, limit per scope, start/end and q= as the reference (${phase})`, async function () {
      const all = await scopes(proc!, {});
      assert.deepEqual(all, {
        resource: ['service.name'], span: sorted(spans.flatMap((s) => Object.keys(s.attributes))), intrinsic: sorted(INTRINSICS),
      });
      assert.deepEqual(await scopes(proc!, { scope: 'resource' }), { resource: ['service.name'] });
      const limited = await scopes(proc!, { limit: '2' });
      assert.deepEqual(limited, { resource: ['service.name'], span: all.span!.slice(0, 2), intrinsic: all.intrinsic!.slice(0, 2) });
      const inRange = spans.filter((s) => s.startNanos >= oldBefore);
      assert.deepEqual((await scopes(proc!, { ...recent, scope: 'span' })).span, sorted(inRange.flatMap((s) => Object.keys(s.attributes))));
      assert.ok(!(await scopes(proc!, { ...recent, scope: 'span' })).span!.includes('era'));
      const q = '{ span.foo = "bar" && resource.service.name != "db" }';
      assert.deepEqual((await scopes(proc!, { q, scope: 'span' })).span, sorted(matching(q).flatMap((s) => Object.keys(s.attributes))));
    });

    it(`answers typed v2 values for attributes of every type (${phase})`, async function () {
      for (const [id, key] of [['span.http.status_code', 'http.status_code'], ['span.foo', 'foo'], ['span.retry', 'retry'], ['.ratio', 'ratio'], ['span.era', 'era']] as const) {
        assert.deepEqual(await values(proc!, id, wide), typedValues(spans, key), id);
      }
      assert.ok((await values(proc!, 'span.http.status_code', {})).every((v) => v.type === 'int'));
      assert.deepEqual(await values(proc!, 'resource.service.name', {}), sorted([...new Set(spans.map((s) => s.service))]).map((value) => ({ type: 'string', value })));
      assert.deepEqual(await values(proc!, 'span.era', recent), []);
    });

    it(`answers intrinsics: status and kind as keywords, names as strings, durations none (${phase})`, async function () {
      assert.deepEqual(await values(proc!, 'status', {}), ['error', 'ok', 'unset'].map((value) => ({ type: 'keyword', value })));
      assert.deepEqual(await values(proc!, 'kind', {}),
        ['client', 'consumer', 'internal', 'producer', 'server', 'unspecified'].map((value) => ({ type: 'keyword', value })));
      assert.deepEqual(await values(proc!, 'span:name', {}), sorted([...new Set(spans.map((s) => s.name))]).map((value) => ({ type: 'string', value })));
      assert.deepEqual(await values(proc!, 'duration', {}), []);
    });

    it(`restricts values to spans matching q, ignores an incomplete q, and applies limit (${phase})`, async function () {
      const q = '{ resource.service.name = "db" && status = error }';
      assert.deepEqual(await values(proc!, 'name', { q }), sorted([...new Set(matching(q).map((s) => s.name))]).map((value) => ({ type: 'string', value })));
      const structural = '{ resource.service.name = "frontend" } >> { span.http.status_code >= 500 }';
      assert.deepEqual(await values(proc!, 'resource.service.name', { q: structural }),
        sorted([...new Set(matching(structural).map((s) => s.service))]).map((value) => ({ type: 'string', value })));
      assert.deepEqual(await values(proc!, 'span.foo', { q: '{ resource.service.name = "x" && span.nope = }' }),
        typedValues(matching('{ resource.service.name = "x" }'), 'foo'));
      assert.deepEqual(await values(proc!, 'span.foo', { q: '{ span.nope = ' }), typedValues(spans, 'foo'));
      assert.deepEqual(await values(proc!, 'span.http.status_code', { limit: '2' }), typedValues(spans, 'http.status_code').slice(0, 2));
    });

    it(`answers v1 values as text, with the virtual status.code, and double-encoded v2 names (${phase})`, async function () {
      const v1 = await get<{ tagValues: string[] }>(proc!, '/api/search/tag/http.status_code/values', {});
      assert.deepEqual(v1.tagValues, sorted([...new Set(spans.map((s) => String(s.attributes['http.status_code'])))]));
      const services = await get<{ tagValues: string[] }>(proc!, '/api/search/tag/service.name/values', {});
      assert.deepEqual(services.tagValues, sorted([...new Set(spans.map((s) => s.service))]));
      const status = await get<{ tagValues: string[] }>(proc!, '/api/search/tag/status.code/values', {});
      assert.deepEqual(status.tagValues, ['error', 'ok', 'unset']);
      const twice = await get<{ tagValues: Typed[] }>(proc!, `/api/v2/search/tag/${encodeURIComponent(encodeURIComponent('resource.service.name'))}/values`, {});
      assert.deepEqual(twice.tagValues, await values(proc!, 'resource.service.name', {}));
      // Grafana's Go backend puts the name in the path raw: everything between /tag/ and the last /values.
      const raw = await get<{ tagValues: Typed[] }>(proc!, '/api/v2/search/tag/span.path/to/values', {});
      assert.deepEqual(raw.tagValues, [{ type: 'string', value: 'x' }]);
    });
  }

  describe('while the traces are live', function () {
    it('has a corpus that makes the checks below able to fail', function () {
      assert.ok(typedValues(spans, 'era').length === 1 && spans.some((s) => s.startNanos >= oldBefore));
      const ratio = new Set(typedValues(spans, 'ratio').map((v) => v.type));
      assert.ok(ratio.has('float') && ratio.has('int') && typedValues(spans, 'retry').length === 2);
      for (const q of ['{ span.foo = "bar" && resource.service.name != "db" }', '{ resource.service.name = "db" && status = error }',
        '{ resource.service.name = "frontend" } >> { span.http.status_code >= 500 }', '{ resource.service.name = "x" }']) {
        const n = matching(q).length;
        assert.ok(n > 0 && n < spans.length, q);
      }
    });

    checkAll('live');

    it('answers 400 for an unknown scope, an identifier that is not TraceQL, and a bad limit', async function () {
      for (const path of ['/api/search/tags?scope=nope', '/api/v2/search/tags?scope=nope', '/api/v2/search/tag/app.user.id/values',
        '/api/v2/search/tag/span.a%20%3D%201/values', '/api/v2/search/tags?limit=x', '/api/search/tag/foo/values?limit=-3']) {
        const res = await fetch(proc!.apiUrl(path));
        assert.equal(res.status, 400, path);
      }
      const res = await fetch(proc!.apiUrl('/api/v2/search/tag/app.user.id/values'));
      assert.equal(await res.text(), 'tag name is not valid intrinsic or scoped attribute: app.user.id');
    });
  });

  describe('after a restart, from blocks', function () {
    before(async function () {
      await proc!.stop('SIGTERM');
      proc = await proc!.restart({ ingester: { trace_idle_period: '30s', max_block_duration: '5m' } });
      assert.match(proc.output, /"spans":0[^\n]*"msg":"wal replayed"|"msg":"wal replayed"[^\n]*"spans":0/);
    });

    checkAll('blocks');
  });

  /** Spans in the reference engine's span sets for `q` over the decoded corpus. */
  function matching(q: string): CorpusSpan[] {
    const ids = new Set<string>();
    for (const m of evaluate(q, traceModels(otlpJsonToProtobuf(otlpJsonRequest(spans))))) {
      for (const ss of m.spanSets) for (const s of ss.spans) ids.add(`${s.span.traceId}:${s.span.spanId}`);
    }
    return spans.filter((s) => ids.has(`${s.traceId}:${s.spanId}`));
  }
});

function sorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The typed values of span attribute `key`: the corpus writes whole numbers as ints, others as doubles. */
function typedValues(spans: readonly CorpusSpan[], key: string): Typed[] {
  const out = new Map<string, Typed>();
  for (const s of spans) {
    const v = s.attributes[key];
    if (v === undefined) continue;
    const type = typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : Number.isInteger(v) ? 'int' : 'float';
    out.set(`${type}:${v}`, { type, value: String(v) });
  }
  return [...out.values()].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

async function get<T>(proc: TracelakeProcess, path: string, params: Record<string, string>): Promise<T> {
  const res = await fetch(proc.apiUrl(`${path}?${new URLSearchParams(params).toString()}`));
  const text = await res.text();
  assert.equal(res.status, 200, text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return JSON.parse(text) as T;
}

async function scopes(proc: TracelakeProcess, params: Record<string, string>): Promise<Record<string, string[]>> {
  const body = await get<{ scopes: { name: string; tags: string[] }[] }>(proc, '/api/v2/search/tags', params);
  return Object.fromEntries(body.scopes.map((s) => [s.name, s.tags]));
}

async function values(proc: TracelakeProcess, identifier: string, params: Record<string, string>): Promise<Typed[]> {
  const body = await get<{ tagValues: Typed[] }>(proc, `/api/v2/search/tag/${encodeURIComponent(identifier)}/values`, params);
  return body.tagValues;
}
