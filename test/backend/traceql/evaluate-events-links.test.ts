import assert from 'node:assert/strict';
import { evaluate } from '../../../backend/traceql/evaluate.ts';
import { buildTrace, spanId } from './trace-builder.ts';

const LINKED_TRACE = 'aaaabbbbccccddddeeeeffff00001111';

const TRACE = buildTrace([{
  attrs: { 'service.name': 'svc' },
  spans: [
    {
      id: 'a', name: 'with events', startMs: 0, durationMs: 50,
      events: [
        { name: 'exception', atMs: 10, attrs: { 'exception.type': 'IOError', 'exception.message': 'disk boom' } },
        { name: 'retry', atMs: 30, attrs: { attempt: 2 } },
      ],
    },
    {
      id: 'b', parent: 'a', name: 'with links', startMs: 5, durationMs: 5,
      links: [
        { traceId: LINKED_TRACE, spanId: spanId('zz'), attrs: { 'opentracing.ref_type': 'follows_from' } },
        { traceId: LINKED_TRACE, spanId: spanId('yy'), attrs: { 'opentracing.ref_type': 'child_of' } },
      ],
    },
    { id: 'c', parent: 'a', name: 'plain', startMs: 6, durationMs: 1 },
  ],
}]);

function names(query: string): string[] {
  return evaluate(query, [TRACE]).flatMap((m) => m.spanSets.flatMap((ss) => ss.spans.map((s) => s.span.name)));
}

describe('evaluate: events and links', () => {
  const cases: Array<[string, string[]]> = [
    ['{ event:name = "exception" }', ['with events']],
    ['{ event:name = "retry" }', ['with events']],
    ['{ event:name = "nope" }', []],
    ['{ event.exception.type = "IOError" }', ['with events']],
    ['{ event.exception.message =~ ".*boom" }', ['with events']],
    ['{ event.attempt >= 2 }', ['with events']],
    // Both conditions must hold on the same event.
    ['{ event:name = "exception" && event.exception.type = "IOError" }', ['with events']],
    ['{ event:name = "retry" && event.exception.type = "IOError" }', []],
    ['{ event:name = "retry" || event.exception.type = "IOError" }', ['with events']],
    ['{ event:timeSinceStart = 10ms }', ['with events']],
    ['{ event:timeSinceStart > 20ms && event:name = "retry" }', ['with events']],
    ['{ event:timeSinceStart > 20ms && event:name = "exception" }', []],
    ['{ event.exception.type = nil }', ['with events', 'with links', 'plain']],
    ['{ event:name != nil }', ['with events']],
    [`{ link:traceID = "${LINKED_TRACE}" }`, ['with links']],
    [`{ link:spanID = "${spanId('yy')}" }`, ['with links']],
    ['{ link.opentracing.ref_type = "child_of" }', ['with links']],
    [`{ link:spanID = "${spanId('yy')}" && link.opentracing.ref_type = "follows_from" }`, []],
    [`{ link:spanID = "${spanId('zz')}" && link.opentracing.ref_type = "follows_from" }`, ['with links']],
    ['{ link:traceID != nil && kind = unspecified }', ['with links']],
    ['{ event:name = "exception" } > { link:traceID != nil }', ['with links']],
    ['{ name = "plain" || event:name = "retry" }', ['with events', 'plain']],
  ];
  for (const [query, expected] of cases) {
    it(`${query} → ${expected.join(', ') || 'nothing'}`, () => assert.deepEqual(names(query), expected));
  }

  it('decodes events and links into the span model', () => {
    const [a, b] = TRACE.spans;
    assert.deepEqual(a.events.map((e) => [e.name, Number(e.timeUnixNano - a.startUnixNano)]), [['exception', 10e6], ['retry', 30e6]]);
    assert.deepEqual(a.events[1].attributes.get('attempt'), { type: 'int', value: 2 });
    assert.deepEqual(b.links.map((l) => [l.traceId, l.spanId]), [[LINKED_TRACE, spanId('zz')], [LINKED_TRACE, spanId('yy')]]);
  });

  it('does not list event and link fields among a span\'s matched attributes', () => {
    const out = evaluate('{ event:name = "exception" && name != "" }', [TRACE]);
    assert.deepEqual(out[0].spanSets[0].spans[0].attributes.map((a) => a.name), ['name']);
  });
});
