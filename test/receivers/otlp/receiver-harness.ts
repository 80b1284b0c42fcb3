import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { CreateSettings, RequestContext, TracesConsumer } from '../../../pipeline/component.ts';
import type { TraceBatch } from '../../../pipeline/trace-batch.ts';
import type { OtlpReceiverConfig } from '../../../receivers/otlp/config.ts';
import { otlpReceiverFactory } from '../../../receivers/otlp/factory.ts';
import type { OtlpReceiver } from '../../../receivers/otlp/otlp-receiver.ts';

export function testSettings(id = 'otlp'): CreateSettings {
  return {
    id,
    logger: pino({ level: 'silent' }),
    metrics: new Registry(),
    build: { version: 'test', revision: 'test', goVersion: 'none' },
  };
}

/** Records what reaches it; `behaviour` decides the outcome of each call. */
export class RecordingConsumer implements TracesConsumer {
  readonly calls: { batch: TraceBatch; ctx: RequestContext }[] = [];
  behaviour: (batch: TraceBatch, ctx: RequestContext) => Promise<void> = async () => {};

  consumeTraces(batch: TraceBatch, ctx: RequestContext): Promise<void> {
    this.calls.push({ batch, ctx });
    return this.behaviour(batch, ctx);
  }

  spanIds(): string[] {
    const ids: string[] = [];
    for (const { batch } of this.calls) {
      for (const rs of batch.resourceSpans) {
        for (const ss of rs.scopeSpans) for (const span of ss.spans) ids.push(Buffer.from(span.spanId).toString('hex'));
      }
    }
    return ids;
  }
}

export interface StartedReceiver {
  readonly receiver: OtlpReceiver;
  readonly consumer: RecordingConsumer;
  readonly settings: CreateSettings;
  readonly httpUrl: string;
  readonly grpcAddress: string;
}

/** A receiver on random loopback ports with both protocols; `protocols` overrides keys of either. */
export async function startReceiver(protocols: OtlpReceiverConfig['protocols'] = {}): Promise<StartedReceiver> {
  const consumer = new RecordingConsumer();
  const settings = testSettings();
  const config: OtlpReceiverConfig = {
    protocols: {
      grpc: { endpoint: '127.0.0.1:0', ...protocols.grpc },
      http: { endpoint: '127.0.0.1:0', ...protocols.http },
    },
  };
  const receiver = otlpReceiverFactory.createTraces(settings, config, consumer) as OtlpReceiver;
  await receiver.start({ signal: new AbortController().signal });
  const { grpc, http } = receiver.endpoints();
  return { receiver, consumer, settings, httpUrl: `http://${http}/v1/traces`, grpcAddress: grpc! };
}

/** A promise with its resolve/reject exposed, for consumers the test releases by hand. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves once `condition` holds, checking every few milliseconds. */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
