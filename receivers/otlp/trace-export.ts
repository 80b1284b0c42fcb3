import type { Counter } from 'prom-client';
import type { CreateSettings, TracesConsumer } from '../../pipeline/component.ts';
import { PermanentError } from '../../pipeline/errors.ts';
import { decodeTraceRequest } from '../../pipeline/otlp/decode-trace-request.ts';
import { otlpJsonToProtobuf } from '../../pipeline/otlp/json.ts';
import { counter } from '../../pipeline/telemetry.ts';

export type Transport = 'grpc' | 'http';
export type PayloadFormat = 'protobuf' | 'json';

export interface ExportRequest {
  readonly body: Uint8Array;
  readonly format: PayloadFormat;
  readonly tenant: string | undefined;
  readonly transport: Transport;
}

/** What an ExportTraceServiceResponse carries: spans left out of an otherwise accepted request. */
export interface ExportResult {
  readonly rejectedSpans: number;
  readonly errorMessage: string;
}

/**
 * The part both transports share: decode, hand on, count. Resolves only after the next consumer resolved,
 * so a success reply means the spans are safely handed on.
 */
export class TraceExport {
  readonly #next: TracesConsumer;
  readonly #accepted: Record<Transport, Counter.Internal>;
  readonly #refused: Record<Transport, Counter.Internal>;

  constructor(settings: CreateSettings, next: TracesConsumer) {
    this.#next = next;
    const accepted = counter(settings.metrics, 'tracelake_receiver_accepted_spans_total',
      'Spans handed on to the pipeline.', ['receiver', 'transport']);
    const refused = counter(settings.metrics, 'tracelake_receiver_refused_spans_total',
      'Spans that could not be handed on: refused downstream or rejected for invalid IDs.', ['receiver', 'transport']);
    this.#accepted = {
      grpc: accepted.labels({ receiver: settings.id, transport: 'grpc' }),
      http: accepted.labels({ receiver: settings.id, transport: 'http' }),
    };
    this.#refused = {
      grpc: refused.labels({ receiver: settings.id, transport: 'grpc' }),
      http: refused.labels({ receiver: settings.id, transport: 'http' }),
    };
  }

  async export(request: ExportRequest): Promise<ExportResult> {
    const protobuf = request.format === 'json' ? parseJsonRequest(request.body) : request.body;
    const { batch, rejectedSpans, rejectReason } = decodeTraceRequest(protobuf);
    if (rejectedSpans > 0) this.#refused[request.transport].inc(rejectedSpans);
    if (batch.spanCount > 0) {
      try {
        await this.#next.consumeTraces(batch, request.tenant === undefined ? {} : { tenant: request.tenant });
      } catch (err) {
        this.#refused[request.transport].inc(batch.spanCount);
        throw err;
      }
      this.#accepted[request.transport].inc(batch.spanCount);
    }
    return { rejectedSpans, errorMessage: rejectedSpans > 0 ? rejectReason ?? 'invalid trace or span ID' : '' };
  }
}

function parseJsonRequest(body: Uint8Array): Uint8Array {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (err) {
    throw new PermanentError(`invalid JSON: ${(err as Error).message}`, { cause: err });
  }
  return otlpJsonToProtobuf(json);
}
