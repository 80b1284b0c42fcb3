import { SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';

/**
 * Runs `work` inside a child span of `parent`. No context manager is registered (BasicTracerProvider has
 * none), so the context is passed explicitly. A throw marks the span as an error and is rethrown.
 */
export async function inSpan<T>(
  t: Tracer,
  name: string,
  opts: { parent: Context; kind?: SpanKind; attributes?: Attributes },
  work: (span: Span, ctx: Context) => Promise<T>,
): Promise<T> {
  const span = t.startSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, attributes: opts.attributes }, opts.parent);
  try {
    return await work(span, trace.setSpan(opts.parent, span));
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}
