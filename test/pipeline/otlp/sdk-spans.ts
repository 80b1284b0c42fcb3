/** Spans made by the real OpenTelemetry JS SDK, to check the codec against the SDK's own serializers. */
import { SpanKind, SpanStatusCode, TraceFlags, context, trace } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** Nested spans over two resources and two scopes with every kind of attribute, events, links and status. */
export async function sdkSpans(): Promise<ReadableSpan[]> {
  const spans: ReadableSpan[] = [];
  for (const service of ['checkout', 'cart']) {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service, 'host.cores': 8, 'deployment.canary': false }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    emit(provider.getTracer('http', '1.2.3'), provider.getTracer('db'));
    await provider.forceFlush();
    spans.push(...exporter.getFinishedSpans());
    await provider.shutdown();
  }
  return spans;
}

type Tracer = ReturnType<BasicTracerProvider['getTracer']>;

function emit(http: Tracer, db: Tracer): void {
  const attrs: Attributes = {
    'http.method': 'GET', 'http.status_code': 500, 'http.duration_ratio': 0.25, 'http.retry': true,
    'tags': ['a', 'b'], 'codes': [1, 2, 3], 'ratios': [0.5, 1.5], 'flags': [true, false], 'unicode': 'héllo ✓ 🚀',
    'big.negative': -42, 'empty': '',
  };
  const root = http.startSpan('GET /cart', { kind: SpanKind.SERVER, attributes: attrs, startTime: [1700000000, 123456789] });
  root.addEvent('exception', { 'exception.message': 'card declined', 'exception.code': 7 }, [1700000000, 500000000]);
  root.addEvent('bare');
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  const ctx = trace.setSpan(context.active(), root);
  const remote = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED, isRemote: true };
  const child = db.startSpan('SELECT', { kind: SpanKind.CLIENT, links: [{ context: remote, attributes: { 'link.kind': 'follows' } }] }, ctx);
  child.setStatus({ code: SpanStatusCode.OK });
  child.end([1700000000, 900000000]);
  const internal = http.startSpan('render', {}, ctx);
  internal.end();
  root.end([1700000001, 0]);
}

/**
 * A span the SDK cannot make through its API but its serializers accept: bytes, key-value lists and
 * nested arrays as attribute values, a trace state, dropped counts.
 */
export function exoticSpan(base: ReadableSpan): ReadableSpan {
  const ctx = base.spanContext();
  return {
    ...base,
    name: 'exotic',
    attributes: {
      bytes: new Uint8Array([0, 1, 254, 255]) as unknown as string,
      kv: { inner: 'x', n: 3, deeper: { list: [1, 'two', false] } } as unknown as string,
      nested: [[1, 2], ['x']] as unknown as string[],
      emptyList: [],
    },
    spanContext: () => ({ ...ctx, spanId: 'ffeeddccbbaa9988', traceState: undefined }),
    droppedAttributesCount: 3,
    droppedEventsCount: 2,
    droppedLinksCount: 1,
    events: [],
    links: [],
  };
}
