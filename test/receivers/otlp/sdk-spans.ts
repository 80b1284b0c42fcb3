import { context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

/** Spans made by the OpenTelemetry SDK: a parent with `childCount` children, with attributes and an event. */
export async function sdkSpans(childCount: number): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'receiver-test' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('receiver-test');
  const parent = tracer.startSpan('parent', { attributes: { 'http.method': 'GET', retries: 2, ok: true } });
  const ctx = trace.setSpan(context.active(), parent);
  for (let i = 0; i < childCount; i++) {
    const child = tracer.startSpan(`child-${i}`, { attributes: { index: i } }, ctx);
    child.addEvent('done', { ratio: 0.5 });
    child.end();
  }
  parent.end();
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

/** Runs one export through a real SDK exporter; resolves with the SDK's result code (0 = success). */
export async function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]): Promise<{ code: number; error?: Error }> {
  try {
    return await new Promise((resolve) => exporter.export(spans, resolve));
  } finally {
    await exporter.shutdown();
  }
}
