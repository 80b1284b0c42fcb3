import assert from 'node:assert/strict';
import { traceModel, traceModels } from '../../../backend/traceql/trace-model.ts';
import { encodeTrace, spanId } from './trace-builder.ts';
import { PermanentError } from '../../../pipeline/errors.ts';

const TRACE = encodeTrace([
  {
    attrs: { 'service.name': 'frontend', 'host.count': 3 },
    scope: { name: 'lib', version: '2.1', attrs: { 'lib.lang': 'go' } },
    spans: [
      { id: 'root', name: 'GET /', kind: 2, startMs: 0, durationMs: 100, attrs: { 'http.status_code': 200 } },
      { id: 'child', parent: 'root', name: 'db', kind: 3, status: 2, statusMessage: 'boom', startMs: 10, durationMs: 20 },
    ],
  },
  {
    attrs: { 'service.name': 'backend' },
    spans: [{
      id: 'leaf', parent: 'child', name: 'query', startMs: 15, durationMs: 120,
      attrs: {
        s: 'str', i: -7, b: true, f: { double: 2.5 }, arr: { array: ['a', 1, true] },
        kv: { kvlist: { x: 'y' } }, raw: new Uint8Array([1, 2]),
      },
    }],
  },
]);

describe('traceModel', () => {
  const trace = traceModel(TRACE);

  it('decodes every span with its intrinsics, in encoded order', () => {
    assert.equal(trace.traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.deepEqual(trace.spans.map((s) => [s.name, s.kind, s.statusCode, s.statusMessage, s.durationNanos]), [
      ['GET /', 2, 0, '', 100e6], ['db', 3, 2, 'boom', 20e6], ['query', 0, 0, '', 120e6],
    ]);
    assert.deepEqual(trace.spans.map((s) => s.index), [0, 1, 2]);
    assert.equal(trace.spans[1].spanId, spanId('child'));
  });

  it('links parents and children and finds the root', () => {
    const [root, child, leaf] = trace.spans;
    assert.equal(trace.root, root);
    assert.equal(child.parent, root);
    assert.equal(leaf.parent, child);
    assert.deepEqual(root.children, [child]);
    assert.equal(root.parentSpanId, '');
    assert.equal(leaf.parentSpanId, spanId('child'));
  });

  it('computes the trace time range', () => {
    assert.equal(trace.startUnixNano, 1_700_000_000_000_000_000n);
    assert.equal(trace.endUnixNano, 1_700_000_000_135_000_000n);
    assert.equal(trace.durationNanos, 135e6);
  });

  it('keeps resource and scope on each span', () => {
    assert.deepEqual(trace.spans[0].resource.get('service.name'), { type: 'string', value: 'frontend' });
    assert.deepEqual(trace.spans[0].resource.get('host.count'), { type: 'int', value: 3 });
    assert.deepEqual(trace.spans[2].resource.get('service.name'), { type: 'string', value: 'backend' });
    assert.equal(trace.spans[0].scopeName, 'lib');
    assert.equal(trace.spans[0].scopeVersion, '2.1');
    assert.deepEqual(trace.spans[0].scopeAttributes.get('lib.lang'), { type: 'string', value: 'go' });
  });

  it('decodes attributes of every AnyValue type', () => {
    const a = trace.spans[2].attributes;
    assert.deepEqual(a.get('s'), { type: 'string', value: 'str' });
    assert.deepEqual(a.get('i'), { type: 'int', value: -7 });
    assert.deepEqual(a.get('b'), { type: 'bool', value: true });
    assert.deepEqual(a.get('f'), { type: 'float', value: 2.5 });
    assert.deepEqual(a.get('arr'), {
      type: 'array', values: [{ type: 'string', value: 'a' }, { type: 'int', value: 1 }, { type: 'bool', value: true }],
    });
    assert.deepEqual(a.get('kv'), { type: 'opaque', what: 'kvlist' });
    assert.deepEqual(a.get('raw'), { type: 'opaque', what: 'bytes' });
  });

  it('has no root when every span has a parent', () => {
    const t = traceModel(encodeTrace([{ spans: [{ id: 'a', parent: 'zz' }, { id: 'b', parent: 'a' }] }]));
    assert.equal(t.root, undefined);
    assert.equal(t.spans[0].parent, undefined);
    assert.equal(t.spans[1].parent, t.spans[0]);
  });

  it('cuts parent cycles so that every span is reachable once', () => {
    const t = traceModel(encodeTrace([{ spans: [{ id: 'a', parent: 'b' }, { id: 'b', parent: 'a' }, { id: 'c', parent: 'c' }] }]));
    assert.equal(t.preorder.length, 3);
    assert.equal(new Set(t.preorder).size, 3);
    assert.equal(t.spans[2].parent, undefined);
  });

  it('walks a 10,000-deep chain without recursion', () => {
    const spans = Array.from({ length: 10_000 }, (_, k) => ({ id: `s${k}`, parent: k === 0 ? undefined : `s${k - 1}` }));
    const t = traceModel(encodeTrace([{ spans }]));
    assert.equal(t.preorder.length, 10_000);
    assert.equal(t.preorder[9_999].name, 's9999');
  });

  it('splits a TracesData by trace ID', () => {
    const a = encodeTrace([{ spans: [{ id: 'a' }] }], '11111111111111111111111111111111');
    const b = encodeTrace([{ spans: [{ id: 'b' }] }], '22222222222222222222222222222222');
    const traces = traceModels(Buffer.concat([a, b]));
    assert.deepEqual(traces.map((t) => [t.traceId, t.spans.length]), [
      ['11111111111111111111111111111111', 1], ['22222222222222222222222222222222', 1],
    ]);
  });

  it('strips leading zeros from trace:id as Tempo does', async () => {
    const { evaluate } = await import('../../../backend/traceql/evaluate.ts');
    const t = traceModel(encodeTrace([{ spans: [{ id: 'a' }] }], '000000000000000000000000000000ab'));
    assert.equal(evaluate('{ trace:id = "ab" }', [t]).length, 1);
    assert.equal(t.traceId, '000000000000000000000000000000ab');
  });

  it('refuses malformed protobuf', () => {
    assert.throws(() => traceModel(new Uint8Array([0x0a, 0x05, 0x01])), PermanentError);
  });
});
