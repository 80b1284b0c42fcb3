import { randomBytes } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { CreateSettings, RequestContext, TracesConsumer } from '../../../pipeline/component.ts';
import { otlpJsonToProtobuf } from '../../../pipeline/otlp/json.ts';
import type { TraceBatch } from '../../../pipeline/trace-batch.ts';

/** One trace's spans as OTLP/JSON (an ExportTraceServiceRequest), named so tests can follow them. */
export function traceRequestJson(names: readonly string[], traceId = randomBytes(16).toString('hex')): object {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'kafka-test' } }] },
      scopeSpans: [{
        scope: { name: 'test' },
        spans: names.map((name) => ({
          traceId, spanId: randomBytes(8).toString('hex'), name, kind: 1,
          startTimeUnixNano: String(now), endTimeUnixNano: String(now + 1000n),
        })),
      }],
    }],
  };
}

export function traceRequestProto(names: readonly string[], traceId?: string): Buffer {
  const bytes = otlpJsonToProtobuf(traceRequestJson(names, traceId));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A kafkajs-shaped record. */
export function kafkaMessage(offset: number, value: Buffer | null, headers: KafkaMessage['headers'] = {}): KafkaMessage {
  return { key: null, value, timestamp: String(Date.now()), attributes: 0, offset: String(offset), headers };
}

/** The names of the spans in a batch, in order; span names are field 5 of Span. */
export function spanNames(batch: TraceBatch): string[] {
  const names: string[] = [];
  for (const rs of batch.resourceSpans) {
    for (const ss of rs.scopeSpans) for (const span of ss.spans) names.push(nameOf(span.bytes));
  }
  return names;
}

function nameOf(span: Uint8Array): string {
  let i = 0;
  while (i < span.length) {
    const tag = span[i]!;
    i++;
    const wire = tag & 7;
    if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 0) while (span[i++]! & 0x80);
    else {
      let len = 0;
      let shift = 0;
      for (;;) {
        const b = span[i++]!;
        len |= (b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) break;
      }
      if (tag >> 3 === 5) return Buffer.from(span.subarray(i, i + len)).toString('utf8');
      i += len;
    }
  }
  return '';
}

export function testSettings(id = 'kafka'): CreateSettings {
  return {
    id,
    logger: pino({ level: process.env.TRACELAKE_TEST_LOG ?? 'silent' }),
    metrics: new Registry(),
    build: { version: 'test', revision: 'test', goVersion: 'none' },
  };
}

/** Records what reaches it; `behaviour` decides each call's outcome. */
export class Downstream implements TracesConsumer {
  readonly calls: { names: string[]; ctx: RequestContext }[] = [];
  readonly accepted: { names: string[]; ctx: RequestContext }[] = [];
  behaviour: (batch: TraceBatch, ctx: RequestContext, call: number) => Promise<void> = async () => {};

  async consumeTraces(batch: TraceBatch, ctx: RequestContext): Promise<void> {
    const names = spanNames(batch);
    this.calls.push({ names, ctx });
    await this.behaviour(batch, ctx, this.calls.length - 1);
    this.accepted.push({ names, ctx });
  }

  acceptedNames(): string[] {
    return this.accepted.flatMap((c) => c.names);
  }
}

/** A metric's value for the given labels (0 when never set). */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return 0;
  const { values } = await metric.get();
  const found = values.find((v) => Object.entries(labels).every(([k, x]) => String(v.labels[k]) === x));
  return found?.value ?? 0;
}

/** Resolves once `condition` holds; throws after `timeoutMs` naming what was awaited. */
export async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
