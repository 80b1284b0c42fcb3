import { randomBytes } from 'node:crypto';
import { decodeTraceRequest } from '../../../pipeline/otlp/decode-trace-request.ts';
import { otlpJsonToProtobuf } from '../../../pipeline/otlp/json.ts';
import type { TraceBatch } from '../../../pipeline/trace-batch.ts';

export interface FixtureShape {
  /** Services (resources); each holds one scope. */
  readonly services?: number;
  readonly traces?: number;
  /** Per trace and service. */
  readonly spansPerTrace?: number;
  /** Length of a filler attribute on each span, to set the span size. */
  readonly padding?: number;
}

export interface Fixture {
  readonly batch: TraceBatch;
  /** The OTLP/JSON request the batch was decoded from. */
  readonly json: { resourceSpans: unknown[] };
  /** Lowercase hex. */
  readonly traceIds: string[];
}

/**
 * A real ExportTraceServiceRequest decoded by the codec: every service has spans of every trace, so a
 * trace spans several resources, as behind a gateway.
 */
export function traceFixture(shape: FixtureShape = {}): Fixture {
  const { services = 2, traces = 3, spansPerTrace = 2, padding = 16 } = shape;
  const traceIds = Array.from({ length: traces }, () => randomBytes(16).toString('hex'));
  const now = BigInt(Date.now()) * 1_000_000n;
  const resourceSpans = Array.from({ length: services }, (_, s) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: `svc-${s}` } }] },
    scopeSpans: [{
      scope: { name: 'fixture', version: '1.0' },
      spans: traceIds.flatMap((traceId) => Array.from({ length: spansPerTrace }, (_, i) => ({
        traceId,
        spanId: randomBytes(8).toString('hex'),
        name: `op-${s}-${i}`,
        kind: 2,
        startTimeUnixNano: String(now),
        endTimeUnixNano: String(now + 1_000_000n),
        attributes: [{ key: 'pad', value: { stringValue: 'x'.repeat(padding) } }],
      }))),
    }],
  }));
  const json = { resourceSpans };
  return { batch: decodeTraceRequest(otlpJsonToProtobuf(json)).batch, json, traceIds };
}

/** Trace ID (hex) → span IDs (hex) of a batch, sorted, for comparing batches regardless of grouping. */
export function spansByTrace(batch: TraceBatch): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const rs of batch.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        const key = Buffer.from(span.traceId).toString('hex');
        out.set(key, [...(out.get(key) ?? []), Buffer.from(span.spanId).toString('hex')].sort());
      }
    }
  }
  return out;
}
