import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { SearchSource } from '../../../backend/querier/search-source.ts';
import { parseTagNamesRequest, parseTagValuesRequest, parseTagValuesV2Request } from '../../../backend/search/tag-request.ts';
import { tagNamesV1, tagNamesV2, tagValuesV1, tagValuesV2 } from '../../../backend/search/tag-response.ts';
import { TagSearch } from '../../../backend/search/tag-search.ts';
import { encodeTrace, type ResourceSpec } from '../traceql/trace-builder.ts';

const logger = pino({ level: 'silent' });
const ID_A = 'aa000000000000000000000000000001';
const ID_B = 'bb000000000000000000000000000002';
const BASE_S = 1_700_000_000;

function source(traces: ReadonlyArray<[string, ResourceSpec[]]>): SearchSource {
  return {
    async searchCandidates(_tenant, _range, visit) {
      for (const [id, resources] of traces) visit(Buffer.from(id, 'hex'), encodeTrace(resources, id));
    },
  };
}

const tags = new TagSearch({
  logger,
  sources: [source([
    [ID_A, [{
      attrs: { 'service.name': 'cart', 'host.name': 'h1' },
      scope: { name: 'lib', attrs: { 'lib.flag': true } },
      spans: [
        { id: 'a1', name: 'GET /cart', kind: 2, status: 2, attrs: { 'http.status_code': 500, ratio: { double: 0.5 }, tags: { array: ['x', 'y'] } } },
        { id: 'a2', parent: 'a1', name: 'SELECT', kind: 3, attrs: { 'http.status_code': 200, 'db.ok': true }, events: [{ name: 'retry', atMs: 1, attrs: { attempt: 2 } }] },
      ],
    }]],
    [ID_B, [{
      attrs: { 'service.name': 'pay' },
      spans: [{ id: 'b1', name: 'POST /pay', kind: 2, startMs: 3_600_000, attrs: { 'http.status_code': '503', ratio: 2 }, links: [{ traceId: ID_A, spanId: 'a1', attrs: { why: 'retry' } }] }],
    }]],
  ])],
});

const T = 'single-tenant';
const p = (q: string): URLSearchParams => new URLSearchParams(q);

describe('tag names and values over TagSearch', function () {
  it('lists resource and span names for v1 without a scope, intrinsics only when asked', async function () {
    const body = await tagNamesV1(tags, T, parseTagNamesRequest(p(''), false));
    assert.deepEqual(body.tagNames, ['db.ok', 'host.name', 'http.status_code', 'ratio', 'service.name', 'tags']);
    assert.match(body.metrics.inspectedBytes!, /^[1-9][0-9]*$/);
    const intrinsic = await tagNamesV1(tags, T, parseTagNamesRequest(p('scope=intrinsic'), false));
    assert.ok(intrinsic.tagNames.includes('span:name') && intrinsic.tagNames.includes('status'));
    assert.deepEqual((await tagNamesV1(tags, T, parseTagNamesRequest(p('scope=resource&limit=1'), false))).tagNames, ['host.name']);
  });

  it('answers v2 scopes: resource, span, intrinsic, and the event/link/instrumentation scopes that have names', async function () {
    const body = await tagNamesV2(tags, T, parseTagNamesRequest(p(''), true));
    const scopes = Object.fromEntries(body.scopes.map((s) => [s.name, s.tags]));
    assert.deepEqual(Object.keys(scopes).sort(), ['event', 'instrumentation', 'intrinsic', 'link', 'resource', 'span']);
    assert.deepEqual(scopes.resource, ['host.name', 'service.name']);
    assert.deepEqual(scopes.span, ['db.ok', 'http.status_code', 'ratio', 'tags']);
    assert.deepEqual(scopes.event, ['attempt']);
    assert.deepEqual(scopes.link, ['why']);
    assert.deepEqual(scopes.instrumentation, ['lib.flag']);
    assert.equal(scopes.intrinsic!.length, 25);
  });

  it('applies limit per scope and answers only the asked scope', async function () {
    const body = await tagNamesV2(tags, T, parseTagNamesRequest(p('limit=1'), true));
    for (const s of body.scopes) assert.ok(s.tags.length <= 1, s.name);
    const span = await tagNamesV2(tags, T, parseTagNamesRequest(p('scope=span'), true));
    assert.deepEqual(span.scopes, [{ name: 'span', tags: ['db.ok', 'http.status_code', 'ratio', 'tags'] }]);
  });

  it('restricts names to spans matching q', async function () {
    const body = await tagNamesV2(tags, T, parseTagNamesRequest(p(`scope=span&q=${encodeURIComponent('{ kind = client }')}`), true));
    assert.deepEqual(body.scopes, [{ name: 'span', tags: ['db.ok', 'http.status_code'] }]);
  });

  it('types v2 values: int stays int, a string int stays string, floats, bools and array elements', async function () {
    const codes = await tagValuesV2(tags, T, parseTagValuesV2Request('span.http.status_code', p('')));
    assert.deepEqual(codes.tagValues, [{ type: 'int', value: '200' }, { type: 'int', value: '500' }, { type: 'string', value: '503' }]);
    const ratio = await tagValuesV2(tags, T, parseTagValuesV2Request('.ratio', p('')));
    assert.deepEqual(ratio.tagValues, [{ type: 'float', value: '0.5' }, { type: 'int', value: '2' }]);
    assert.deepEqual((await tagValuesV2(tags, T, parseTagValuesV2Request('span.db.ok', p('')))).tagValues, [{ type: 'bool', value: 'true' }]);
    assert.deepEqual((await tagValuesV2(tags, T, parseTagValuesV2Request('span.tags', p('')))).tagValues, [{ type: 'string', value: 'x' }, { type: 'string', value: 'y' }]);
    assert.deepEqual((await tagValuesV2(tags, T, parseTagValuesV2Request('event.attempt', p('')))).tagValues, [{ type: 'int', value: '2' }]);
  });

  it('answers virtual intrinsics as keywords, and real span names as strings', async function () {
    assert.deepEqual((await tagValuesV2(tags, T, parseTagValuesV2Request('status', p('')))).tagValues,
      ['error', 'ok', 'unset'].map((value) => ({ type: 'keyword', value })));
    assert.deepEqual((await tagValuesV2(tags, T, parseTagValuesV2Request('span:kind', p('limit=2')))).tagValues,
      ['client', 'consumer'].map((value) => ({ type: 'keyword', value })));
    assert.deepEqual((await tagValuesV2(tags, T, parseTagValuesV2Request('duration', p('')))).tagValues, []);
    assert.deepEqual((await tagValuesV2(tags, T, parseTagValuesV2Request('name', p('')))).tagValues,
      ['GET /cart', 'POST /pay', 'SELECT'].map((value) => ({ type: 'string', value })));
  });

  it('filters values by q, and ignores a q that does not parse', async function () {
    const q = encodeURIComponent('{ resource.service.name = "cart" && status = error }');
    assert.deepEqual((await tagValuesV2(tags, T, parseTagValuesV2Request('name', p(`q=${q}`)))).tagValues, [{ type: 'string', value: 'GET /cart' }]);
    const broken = encodeURIComponent('{ resource.service.name = "pay" && span.x = }');
    assert.deepEqual((await tagValuesV2(tags, T, parseTagValuesV2Request('name', p(`q=${broken}`)))).tagValues, [{ type: 'string', value: 'POST /pay' }]);
  });

  it('answers v1 values of span or resource attributes as text, and the virtual status.code', async function () {
    assert.deepEqual((await tagValuesV1(tags, T, parseTagValuesRequest('http.status_code', p('')))).tagValues, ['200', '500', '503']);
    assert.deepEqual((await tagValuesV1(tags, T, parseTagValuesRequest('service.name', p('')))).tagValues, ['cart', 'pay']);
    assert.deepEqual((await tagValuesV1(tags, T, parseTagValuesRequest('status.code', p('')))).tagValues, ['error', 'ok', 'unset']);
  });

  it('reads only traces with spans in start/end', async function () {
    const start = BASE_S + 1800;
    const body = await tagValuesV2(tags, T, parseTagValuesV2Request('resource.service.name', p(`start=${start}&end=${BASE_S + 7200}`)));
    assert.deepEqual(body.tagValues, [{ type: 'string', value: 'pay' }]);
  });
});
