import type { IHeaders, Message } from 'kafkajs';
import type { RequestContext } from '../../pipeline/component.ts';
import { PermanentError } from '../../pipeline/errors.ts';
import { marshalTraces, type KafkaEncoding } from '../../pipeline/kafka/encoding.ts';
import { TENANT_HEADER } from '../../pipeline/kafka/tenant-header.ts';
import { encodeTraceBatch } from '../../pipeline/otlp/encode-trace-batch.ts';
import { countSpans, type ResourceSpansRecord, type TraceBatch } from '../../pipeline/trace-batch.ts';
import { groupByTraceId } from './group-by-trace.ts';
import { BATCH_OVERHEAD, recordSize } from './record-size.ts';
import { splitBySize } from './split-by-size.ts';

export interface RecordOptions {
  readonly encoding: KafkaEncoding;
  readonly partitionByTraceId: boolean;
  readonly maxMessageBytes: number;
}

/** A Kafka message and the bytes it counts for in a produce request. */
export interface OutgoingRecord {
  readonly message: Message;
  readonly bytes: number;
}

/**
 * The records for one request, as the Collector's kafka exporter writes them: one per trace ID keyed by
 * the ID in lowercase hex (partition_traces_by_id), otherwise one per request without a key; the tenant
 * goes in a header. A value over producer.max_message_bytes is cut by resource, scope and span into
 * several records with the same key; a single span that cannot fit fails the request with PermanentError.
 */
export function buildRecords(batch: TraceBatch, ctx: RequestContext, options: RecordOptions): OutgoingRecord[] {
  const headers: IHeaders | undefined = ctx.tenant === undefined ? undefined : { [TENANT_HEADER]: ctx.tenant };
  const headerBytes = ctx.tenant === undefined ? 0 : TENANT_HEADER.length + Buffer.byteLength(ctx.tenant);
  const records: OutgoingRecord[] = [];
  const add = (key: Buffer | null, resourceSpans: readonly ResourceSpansRecord[]): void => {
    const budget = options.maxMessageBytes - BATCH_OVERHEAD - recordSize(key, Buffer.alloc(0), headerBytes);
    for (const value of marshalWithin(resourceSpans, budget, options)) {
      const message: Message = headers === undefined ? { key, value } : { key, value, headers };
      records.push({ message, bytes: recordSize(key, value, headerBytes) });
    }
  };
  if (!options.partitionByTraceId) add(null, batch.resourceSpans);
  else for (const [traceId, resourceSpans] of groupByTraceId(batch.resourceSpans)) add(Buffer.from(traceId), resourceSpans);
  return records;
}

/** Record values of at most `budget` bytes holding these spans. */
function marshalWithin(resourceSpans: readonly ResourceSpansRecord[], budget: number, options: RecordOptions): Buffer[] {
  const value = marshalTraces(resourceSpans, options.encoding);
  if (value.length <= budget) return [value];
  const spans = countSpans(resourceSpans);
  if (spans <= 1) {
    throw new PermanentError(`a span encodes to ${value.length} bytes (${options.encoding}), more than fits in `
      + `a Kafka message of producer.max_message_bytes ${options.maxMessageBytes}`);
  }
  // Chunks are sized in protobuf bytes; for JSON, scaled by how much bigger this value came out.
  const protoSize = options.encoding === 'otlp_proto' ? value.length : encodeTraceBatch(resourceSpans).length;
  const scale = value.length / protoSize;
  let chunks = splitBySize(resourceSpans, Math.floor(budget / scale));
  if (chunks.length < 2) chunks = splitBySize(resourceSpans, Math.ceil(protoSize / 2)); // always progresses
  return chunks.flatMap((chunk) => marshalWithin(chunk, budget, options));
}

