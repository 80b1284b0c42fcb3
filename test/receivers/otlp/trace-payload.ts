import { WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../../../pipeline/otlp/proto-reader.ts';
import { ProtoWriter } from '../../../pipeline/otlp/proto-writer.ts';

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

/** ExportTraceServiceRequest bytes. */
export function encodeTraceRequest(resources: readonly TestResource[]): Uint8Array {
  const w = new ProtoWriter();
  for (const resource of resources) {
    const rs = w.beginMessage(1);
    const res = w.beginMessage(1);
    const kv = w.beginMessage(1);
    w.tag(1, WIRE_LEN);
    w.string('service.name');
    const value = w.beginMessage(2);
    w.tag(1, WIRE_LEN);
    w.string(resource.service);
    w.endMessage(value);
    w.endMessage(kv);
    w.endMessage(res);
    const ss = w.beginMessage(2);
    const scope = w.beginMessage(1);
    w.tag(1, WIRE_LEN);
    w.string('test-scope');
    w.endMessage(scope);
    for (const span of resource.spans) writeSpan(w, span);
    w.endMessage(ss);
    w.endMessage(rs);
  }
  return Uint8Array.from(w.finish());
}

function writeSpan(w: ProtoWriter, span: TestSpan): void {
  const mark = w.beginMessage(2);
  w.tag(1, WIRE_LEN);
  w.bytes(Buffer.from(span.traceId, 'hex'));
  w.tag(2, WIRE_LEN);
  w.bytes(Buffer.from(span.spanId, 'hex'));
  w.tag(5, WIRE_LEN);
  w.string(span.name);
  w.tag(6, WIRE_VARINT);
  w.varint(2);
  w.tag(7, WIRE_FIXED64);
  w.fixed64(START_NANOS);
  w.tag(8, WIRE_FIXED64);
  w.fixed64(END_NANOS);
  w.endMessage(mark);
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
