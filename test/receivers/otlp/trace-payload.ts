import { encodeTrace } from '../../support/otlp-traces.ts';

/** Hand-made OTLP payloads for tests, independent of the codec under test. */
export interface TestSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly name: string;
}

export interface TestResource {
  readonly service: string;
  readonly spans: readonly TestSpan[];
}

// Multiples of 256, so the doubles are exact.
const START_NANOS = 1_700_000_000_000_000_000;
const END_NANOS = START_NANOS + 2 ** 20;

export function testSpans(count: number, name = 'op'): TestSpan[] {
  return Array.from({ length: count }, (_, i) => ({
    traceId: (i + 1).toString(16).padStart(32, 'a'),
    spanId: (i + 1).toString(16).padStart(16, 'b'),
    name: `${name}-${i}`,
  }));
}

/** ExportTraceServiceRequest bytes: one scope `test-scope` per resource, SERVER spans. */
export function encodeTraceRequest(resources: readonly TestResource[]): Uint8Array {
  return encodeTrace(resources.map((resource) => ({
    service: resource.service,
    scopes: [{
      name: 'test-scope',
      spans: resource.spans.map((span) => ({
        ...span, kind: 2, startUnixNano: BigInt(START_NANOS), endUnixNano: BigInt(END_NANOS),
      })),
    }],
  })));
}

/** The same request in OTLP/JSON. */
export function traceRequestJson(resources: readonly TestResource[]): unknown {
  return {
    resourceSpans: resources.map((resource) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: resource.service } }] },
      scopeSpans: [{
        scope: { name: 'test-scope' },
        spans: resource.spans.map((span) => ({
          traceId: span.traceId,
          spanId: span.spanId,
          name: span.name,
          kind: 2,
          startTimeUnixNano: String(START_NANOS),
          endTimeUnixNano: String(END_NANOS),
        })),
      }],
    })),
  };
}
