import assert from 'node:assert/strict';
import { BadRequestError } from '../../../pipeline/errors.ts';
import { decodeTagName, parseTagIdentifier } from '../../../backend/search/tag-identifier.ts';
import { parseTagNamesRequest, parseTagValuesV2Request, tagRange } from '../../../backend/search/tag-request.ts';

const params = (q: string): URLSearchParams => new URLSearchParams(q);

describe('parseTagNamesRequest', function () {
  it('reads every known scope, and none for an empty or `none` scope', function () {
    for (const scope of ['resource', 'span', 'event', 'link', 'instrumentation', 'intrinsic']) {
      assert.equal(parseTagNamesRequest(params(`scope=${scope}`), true).scope, scope);
    }
    assert.equal(parseTagNamesRequest(params('scope=none'), true).scope, undefined);
    assert.equal(parseTagNamesRequest(params(''), true).scope, undefined);
  });

  it('refuses an unknown scope with a 400', function () {
    assert.throws(() => parseTagNamesRequest(params('scope=trace'), true), (err: unknown) => err instanceof BadRequestError && /invalid scope: trace/.test(err.message));
  });

  it('reads limit (0 when absent) and refuses a limit that is not a whole number', function () {
    assert.equal(parseTagNamesRequest(params('limit=7'), true).limit, 7);
    assert.equal(parseTagNamesRequest(params(''), true).limit, 0);
    assert.throws(() => parseTagNamesRequest(params('limit=x'), true), BadRequestError);
    assert.throws(() => parseTagNamesRequest(params('limit=-1'), true), BadRequestError);
  });

  it('takes q only on v2', function () {
    assert.notEqual(parseTagNamesRequest(params('q=%7B.a%3D1%7D'), true).scan.filter, undefined);
    assert.equal(parseTagNamesRequest(params('q=%7B.a%3D1%7D'), false).scan.filter, undefined);
  });
});

describe('tagRange', function () {
  it('reads start and end, each alone or both', function () {
    assert.deepEqual(tagRange(params('start=10&end=20')), { start: 10, end: 20 });
    assert.deepEqual(tagRange(params('start=10')), { start: 10, end: Number.MAX_SAFE_INTEGER });
    assert.deepEqual(tagRange(params('end=20')), { start: 0, end: 20 });
    assert.equal(tagRange(params('')), undefined);
  });

  it('drops a range whose end is not after its start, but refuses a value that is not an integer', function () {
    assert.equal(tagRange(params('start=20&end=10')), undefined);
    assert.throws(() => tagRange(params('start=abc')), BadRequestError);
  });
});

describe('decodeTagName', function () {
  it('decodes until stable, as for Grafana\'s double-encoded names', function () {
    assert.equal(decodeTagName('span.http%252Emethod'), 'span.http.method');
    assert.equal(decodeTagName('resource.service.name'), 'resource.service.name');
    assert.equal(decodeTagName('a%ZZb'), 'a%ZZb');
  });
});

describe('parseTagIdentifier', function () {
  it('reads scoped, unscoped and quoted attributes', function () {
    assert.deepEqual(pick(parseTagIdentifier('resource.service.name')), { kind: 'attribute', scope: 'resource', name: 'service.name' });
    assert.deepEqual(pick(parseTagIdentifier('span.http.method')), { kind: 'attribute', scope: 'span', name: 'http.method' });
    assert.deepEqual(pick(parseTagIdentifier('.foo')), { kind: 'attribute', scope: 'none', name: 'foo' });
    assert.deepEqual(pick(parseTagIdentifier('span."a b"')), { kind: 'attribute', scope: 'span', name: 'a b' });
    assert.deepEqual(pick(parseTagIdentifier('event.x')), { kind: 'attribute', scope: 'event', name: 'x' });
  });

  it('reads intrinsics bare and scoped', function () {
    assert.deepEqual(pick(parseTagIdentifier('name')), { kind: 'intrinsic', intrinsic: 'name' });
    assert.deepEqual(pick(parseTagIdentifier('span:name')), { kind: 'intrinsic', intrinsic: 'name' });
    assert.deepEqual(pick(parseTagIdentifier('status')), { kind: 'intrinsic', intrinsic: 'status' });
    assert.deepEqual(pick(parseTagIdentifier('trace:rootService')), { kind: 'intrinsic', intrinsic: 'rootServiceName' });
  });

  it('refuses a bare attribute name, several tokens, or an unknown intrinsic with a 400', function () {
    for (const bad of ['app.user.id', 'span.a = 1', 'span:nope', '{', '', '"x"', 'parent.x']) {
      assert.throws(() => parseTagIdentifier(bad), (err: unknown) => err instanceof BadRequestError && /tag name is not valid intrinsic or scoped attribute/.test(err.message), bad);
    }
  });

  it('decodes the path name before parsing it in a v2 request', function () {
    const req = parseTagValuesV2Request('resource.service%252Ename', params('limit=3'));
    assert.equal(req.name, 'resource.service.name');
    assert.deepEqual(pick(req.field), { kind: 'attribute', scope: 'resource', name: 'service.name' });
    assert.equal(req.limit, 3);
  });
});

function pick(f: ReturnType<typeof parseTagIdentifier>): Record<string, unknown> {
  return f.kind === 'intrinsic' ? { kind: f.kind, intrinsic: f.intrinsic } : { kind: f.kind, scope: f.scope, name: f.name };
}
