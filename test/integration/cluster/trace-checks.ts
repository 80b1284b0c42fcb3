import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { blockMetas } from '../block-files.ts';
import type { KafkaRecord } from '../kafka-broker.ts';
import { API_VARIANTS, decodeTrace, fetchSpans, getTrace, type ApiBase } from '../tempo-client.ts';
import { fromReadableSpan, sortSpans, type NormSpan } from '../trace-model.ts';
import { decodeExportRequest } from './export-request.ts';

/** Comparisons for traces that travel gateway → Kafka → ingester, where arrival is asynchronous. */

/** What the SDK recorded, in the comparable shape, sorted by span ID. */
export function expectedSpans(spans: readonly ReadableSpan[]): NormSpan[] {
  return sortSpans(spans.map(fromReadableSpan));
}

export interface WaitOptions {
  readonly timeoutMs: number;
  /** Check all four API variants (default), or only v2 protobuf (what Grafana reads) for many traces. */
  readonly allVariants?: boolean;
}

/**
 * Polls the ingester's API until the trace has as many spans as were sent, then asserts it is exactly
 * those spans, field by field: no span missing, none twice. A 404 means "not consumed yet".
 */
export async function waitForWholeTrace(api: ApiBase, traceId: string, expected: readonly NormSpan[], options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let seen = 'never found (404)';
  for (;;) {
    const res = await getTrace(api, traceId, 'v2', 'protobuf');
    if (res.status === 200) {
      const spans = decodeTrace(res, 'v2', 'protobuf', `trace ${traceId}`);
      if (spans.length >= expected.length) break;
      seen = `${spans.length} of ${expected.length} spans`;
    } else if (res.status !== 404) {
      assert.fail(`trace ${traceId}: status ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
    }
    if (Date.now() > deadline) assert.fail(`trace ${traceId} not whole within ${options.timeoutMs} ms: ${seen}`);
    await sleep(100);
  }
  const variants = options.allVariants === false ? [{ version: 'v2', format: 'protobuf' } as const] : API_VARIANTS;
  for (const { version, format } of variants) {
    assert.deepStrictEqual(await fetchSpans(api, traceId, version, format), expected, `trace ${traceId} through ${version} ${format}`);
  }
}

/** waitForWholeTrace for many traces at once (a bounded number of polls in flight). */
export async function waitForWholeTraces(api: ApiBase, traces: ReadonlyMap<string, readonly NormSpan[]>, options: WaitOptions): Promise<void> {
  const queue = [...traces];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      await waitForWholeTrace(api, next[0], next[1], options);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** The spans on a topic grouped by record key, with the partitions each key was seen in. */
export interface TopicTraces {
  readonly spans: Map<string, NormSpan[]>;
  readonly partitions: Map<string, Set<number>>;
}

/**
 * Decodes every record (ExportTraceServiceRequest, protobufjs) and asserts what partition_traces_by_id
 * promises: a key of 32 lowercase hex characters equal to the trace ID of every span in the record.
 */
export function tracesOnTopic(records: readonly KafkaRecord[]): TopicTraces {
  const spans = new Map<string, NormSpan[]>();
  const partitions = new Map<string, Set<number>>();
  for (const r of records) {
    const where = `record ${r.partition}/${r.offset}`;
    assert.ok(r.key !== null, `${where}: no key`);
    const key = r.key.toString('latin1');
    assert.match(key, /^[0-9a-f]{32}$/, `${where}: key is not a trace ID in 32 lowercase hex characters`);
    const decoded = decodeExportRequest(r.value);
    assert.ok(decoded.length > 0, `${where}: no spans`);
    for (const s of decoded) assert.equal(s.traceId, key, `${where}: span ${s.spanId} of trace ${s.traceId} under key ${key}`);
    spans.set(key, [...(spans.get(key) ?? []), ...decoded]);
    partitions.set(key, (partitions.get(key) ?? new Set()).add(r.partition));
  }
  for (const [key, list] of spans) spans.set(key, sortSpans(list));
  return { spans, partitions };
}

/** Total spans in the ingester's complete blocks (meta.json totalSpans). */
export async function spansInBlocks(blocksDir: string): Promise<number> {
  let total = 0;
  for (const meta of await blockMetas(blocksDir)) {
    total += Number((JSON.parse(await readFile(meta, 'utf8')) as { totalSpans?: number }).totalSpans ?? 0);
  }
  return total;
}

/** The sum of every series of a metric in the process's /metrics (Prometheus text). */
export async function metricTotal(api: ApiBase, name: string): Promise<number> {
  const res = await fetch(api.apiUrl('/metrics'), { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  assert.equal(res.status, 200, `GET /metrics: ${res.status}`);
  const series = [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))];
  assert.ok(series.length > 0, `no ${name} in /metrics`);
  return series.reduce((sum, m) => sum + Number(m[1]), 0);
}

/** Traces the ingester holds that are not yet in a flushed block. */
export function liveTraces(api: ApiBase): Promise<number> {
  return metricTotal(api, 'tracelake_ingester_live_traces');
}

/** Spans of the Kafka records the ingester consumed since the process started. */
export function spansConsumed(api: ApiBase): Promise<number> {
  return metricTotal(api, 'tracelake_ingester_kafka_spans_total');
}
