import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** A small trace (root + children) recorded by the SDK as if it had ended `ageMs` ago. */
export function recordOldTrace(name: string, ageMs: number, spans = 3): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'retention' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('tracelake-it', '1.0.0');
  const start = Date.now() - ageMs;
  const root = tracer.startSpan(name, { kind: SpanKind.SERVER, startTime: start }, ROOT_CONTEXT);
  const ctx = trace.setSpan(ROOT_CONTEXT, root);
  for (let i = 1; i < spans; i++) tracer.startSpan(`${name}.child-${i}`, { startTime: start + i }, ctx).end(start + i + 1);
  root.end(start + spans + 1);
  return memory.getFinishedSpans();
}
