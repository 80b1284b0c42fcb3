import assert from 'node:assert/strict';
import { removeDir, TracelakeProcess } from '../tracelake-process.ts';
import { answeredResults, assertSameResults, referenceResults, sendSpans, type SearchBody } from './reference-check.ts';
import { generateCorpus } from './search-corpus.ts';

/**
 * Requests as Grafana's Tempo data source sends them (tempo-api.md sections 2, 4 and 6): its browser code
 * encodes with encodeURIComponent (space → %20), its Go backend with url.Values.Encode (space → +); the
 * builder sends `q={}` when no filter is set; start/end are unix seconds; limit/spss are often left out.
 * Double-encoded v2 tag names and their raw form are checked in tags-api.test.ts; the v1 form here.
 */

const QUERY = '{ resource.service.name = "x" && span.http.status_code >= 404 }';

/** Go's url.QueryEscape: as url.Values.Encode writes a value (space → `+`, everything else reserved escaped). */
function goQueryEscape(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

describe('Grafana-shaped search and tag requests', function () {
  this.timeout(120_000);
  const nowMs = Date.now();
  const nowS = Math.floor(nowMs / 1000);
  const corpus = generateCorpus({ traces: 60, seed: 23, nowMs });
  const spans = corpus.flat();
  // Grafana's time picker range, in whole unix seconds.
  const range = `start=${nowS - 3600}&end=${nowS + 60}`;
  let proc: TracelakeProcess | undefined;

  before(async function () {
    proc = await TracelakeProcess.start({ ingester: { trace_idle_period: '10m', max_block_duration: '30m' } });
    await sendSpans(proc.otlpHttpUrl, spans);
  });

  after(async function () {
    if (proc === undefined) return;
    await proc.stop('SIGKILL');
    await removeDir(proc.dir);
  });

  async function get<T>(pathAndQuery: string, accept = 'application/json, text/plain, */*'): Promise<T> {
    const res = await fetch(proc!.apiUrl(pathAndQuery), { headers: { accept } });
    const text = await res.text();
    assert.equal(res.status, 200, `${pathAndQuery}: ${text}`);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    return JSON.parse(text) as T;
  }

  it('answers the same traces for q encoded with %20 (browser) and with + (Go backend), as the reference', async function () {
    const browser = await get<SearchBody>(`/api/search?q=${encodeURIComponent(QUERY)}&limit=1000&spss=100&${range}`);
    const backend = await get<SearchBody>(`/api/search?q=${goQueryEscape(QUERY)}&limit=1000&spss=100&${range}`, 'application/json');
    assert.ok(goQueryEscape(QUERY).includes('+') && !encodeURIComponent(QUERY).includes('+'));
    assertSameResults(answeredResults(browser), referenceResults(QUERY, spans), 'encodeURIComponent');
    assert.deepEqual(answeredResults(backend), answeredResults(browser));
  });

  it('reads a + inside the query as %2B (arithmetic) and a literal + in the URL as a space', async function () {
    const q = '{ span.http.status_code + 1 > 500 }';
    const body = await get<SearchBody>(`/api/search?q=${goQueryEscape(q)}&limit=1000&spss=100&${range}`);
    assertSameResults(answeredResults(body), referenceResults(q, spans), q);
  });

  it('matches every trace for q={} raw and q=%7B%7D, 20 by default (the newest with most_recent) with at most 3 spans per span set', async function () {
    const raw = await get<SearchBody>(`/api/search?q={}&${range}`);
    const encoded = await get<SearchBody>(`/api/search?q=%7B%7D&${range}`);
    assert.deepEqual(encoded, { ...raw, metrics: encoded.metrics });
    assert.equal(raw.traces!.length, 20);
    const all = await get<SearchBody>(`/api/search?q=%7B%7D&limit=1000&${range}`);
    assert.equal(all.traces!.length, corpus.length);
    const ids = new Set(all.traces!.map((t) => t.traceID));
    assert.ok(raw.traces!.every((t) => ids.has(t.traceID)));
    const newest = await get<SearchBody>(`/api/search?q=${encodeURIComponent('{} with (most_recent=true)')}&${range}`);
    assert.deepEqual(newest.traces!.map((t) => t.traceID), all.traces!.slice(0, 20).map((t) => t.traceID));
    const sets = all.traces!.flatMap((t) => t.spanSets!);
    assert.ok(sets.some((s) => s.matched > 3), 'the corpus has span sets larger than the default spss');
    for (const s of sets) assert.equal(s.spans.length, Math.min(3, s.matched));
  });

  it('answers the Search builder\'s unspaced form with a multi-select regex as the reference', async function () {
    const q = '{resource.service.name=~"frontend|checkout" && span.foo!="bar" && duration>1ms}';
    const body = await get<SearchBody>(`/api/search?q=${encodeURIComponent(q)}&limit=1000&spss=100&${range}`);
    assertSameResults(answeredResults(body), referenceResults(q, spans), q);
  });

  it('writes every field with the JSON type Grafana decodes: int64 as strings, counts as numbers', async function () {
    const q = '{ span.http.status_code >= 200 && span.foo != nil } | by(resource.service.name)';
    const body = await get<SearchBody>(`/api/search?q=${encodeURIComponent(q)}&limit=30&spss=5&${range}`);
    assert.ok(body.traces!.length > 0);
    for (const t of body.traces!) {
      assert.match(t.traceID, /^[1-9a-f][0-9a-f]{0,31}$/);
      assert.equal(typeof t.rootServiceName, 'string');
      assert.equal(typeof t.rootTraceName, 'string');
      assert.match(t.startTimeUnixNano, /^[1-9][0-9]*$/);
      if (t.durationMs !== undefined) assert.ok(Number.isInteger(t.durationMs) && t.durationMs > 0);
      assert.deepEqual(t.spanSet, t.spanSets![0]);
      for (const [service, stats] of Object.entries(t.serviceStats!)) {
        assert.equal(typeof service, 'string');
        assert.ok(Number.isInteger(stats.spanCount));
        if (stats.errorCount !== undefined) assert.ok(Number.isInteger(stats.errorCount));
      }
      for (const ss of t.spanSets!) {
        assert.ok(Number.isInteger(ss.matched));
        assert.equal(ss.attributes![0]!.key, 'by(resource.service.name)');
        assert.equal(typeof (ss.attributes![0]!.value as { stringValue: unknown }).stringValue, 'string');
        for (const s of ss.spans) {
          assert.match(s.spanID, /^[0-9a-f]{16}$/);
          assert.match(s.startTimeUnixNano, /^[1-9][0-9]*$/);
          assert.match(s.durationNanos, /^[1-9][0-9]*$/);
          const code = s.attributes!.find((a) => a.key === 'http.status_code')!.value as { intValue: unknown };
          assert.match(code.intValue as string, /^[0-9]+$/);
        }
      }
    }
    const metrics = body.metrics!;
    assert.match(String(metrics.inspectedBytes), /^[1-9][0-9]*$/);
    assert.equal(typeof metrics.inspectedBytes, 'string');
    for (const key of ['inspectedTraces', 'completedJobs', 'totalJobs'] as const) {
      if (metrics[key] !== undefined) assert.equal(typeof metrics[key], 'number', key);
    }
  });

  it('answers 400 in plain text for end before start and for a partial TraceQL query', async function () {
    const backwards = await fetch(proc!.apiUrl(`/api/search?q=%7B%7D&start=${nowS}&end=${nowS - 60}`));
    assert.equal(backwards.status, 400);
    assert.doesNotMatch(backwards.headers.get('content-type') ?? '', /json/);
    await backwards.arrayBuffer();
    const partial = await fetch(proc!.apiUrl(`/api/search?q=${encodeURIComponent('{resource.service.name=')}&${range}`));
    assert.equal(partial.status, 400);
    assert.match(await partial.text(), /^invalid TraceQL query: parse error at line 1, col \d+: /);
  });

  it('answers the builder\'s tag requests: names with limit=5000, values with q={} and with the other filters', async function () {
    const names = await get<{ scopes: { name: string; tags: string[] }[] }>(`/api/v2/search/tags?limit=5000&${range}`);
    assert.deepEqual(names.scopes.find((s) => s.name === 'resource')!.tags, ['service.name']);
    type Values = { tagValues: { type: string; value: string }[] };
    const services = [...new Set(spans.map((s) => s.service))].sort().map((value) => ({ type: 'string', value }));
    const v2 = `/api/v2/search/tag/${encodeURIComponent(encodeURIComponent('resource.service.name'))}/values`;
    assert.deepEqual((await get<Values>(`${v2}?q=%7B%7D&limit=5000&${range}`)).tagValues, services);
    const others = '{span.foo="bar" && status=error}';
    const matching = [...new Set(spans.filter((s) => s.attributes['foo'] === 'bar' && s.statusCode === 2).map((s) => s.service))].sort();
    assert.ok(matching.length > 0 && matching.length < services.length);
    assert.deepEqual((await get<Values>(`${v2}?q=${encodeURIComponent(others)}&limit=5000&${range}`)).tagValues, matching.map((value) => ({ type: 'string', value })));
    const v1 = await get<{ tagValues: string[] }>(`/api/search/tag/${encodeURIComponent(encodeURIComponent('service.name'))}/values?${range}`);
    assert.deepEqual(v1.tagValues, services.map((s) => s.value));
  });
});
