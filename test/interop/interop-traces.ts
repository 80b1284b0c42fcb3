import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { recordSampleTrace, recordSimpleTrace } from '../integration/sdk-spans.ts';
import { decodeTrace, getTrace, type ApiBase, type RawResponse } from '../integration/tempo-client.ts';
import { fromReadableSpan, sortSpans, type NormSpan } from '../integration/trace-model.ts';
import type { RawRecord, TopicContents } from './kafka-records.ts';
import type { Compression } from './kafka-sections.ts';

/** What the interop checks send and what they expect back: traces recorded by the OpenTelemetry JS SDK. */

export interface SentTraces {
  /** Every span, in one export request. */
  readonly spans: ReadableSpan[];
  /** trace ID → its spans as the SDK recorded them, in the comparable shape. */
  readonly expected: ReadonlyMap<string, NormSpan[]>;
}

/**
 * The full-featured sample trace plus `extra` simple ones of `spansEach` spans: several traces in one request,
 * so keying matters.
 */
export function makeTraces(label: string, extra = 1, spansEach = 3): SentTraces {
  const groups = [recordSampleTrace(`interop-${label}`)];
  for (let i = 0; i < extra; i++) groups.push(recordSimpleTrace({ spans: spansEach, name: `${label}-${i}` }));
  const expected = new Map<string, NormSpan[]>();
  for (const g of groups) expected.set(g[0]!.spanContext().traceId, sortSpans(g.map(fromReadableSpan)));
  return { spans: groups.flat(), expected };
}

/**
 * Polls Tracelake's /api/v2/traces/<id> (protobuf; as `tenant` when given) until all the spans are there;
 * then they must be equal.
 */
export async function expectTraceBack(api: ApiBase & { output: string }, traceId: string, expected: NormSpan[], tenant?: string): Promise<void> {
  const timeoutMs = 30_000;
  const deadline = Date.now() + timeoutMs;
  let seen = 'no answer yet';
  for (;;) {
    // A crashing consumer means records it cannot read: say why at once instead of waiting out the timeout.
    const crash = api.output.split('\n').find((l) => l.includes('kafka consumer crashed'));
    if (crash !== undefined) throw new Error(`trace ${traceId}: Tracelake's kafka consumer crashed: ${crash.slice(0, 500)}`);
    const res = await getTraceAs(api, traceId, tenant);
    if (res.status === 200) {
      const actual = sortSpans(decodeTrace(res, 'v2', 'protobuf', `trace ${traceId}`));
      if (actual.length >= expected.length) {
        assert.deepStrictEqual(actual, expected, `trace ${traceId} came back different`);
        return;
      }
      seen = `${actual.length} of ${expected.length} spans`;
    } else {
      seen = `status ${res.status}`;
    }
    if (Date.now() > deadline) throw new Error(`trace ${traceId} not complete after ${timeoutMs} ms (${seen})`);
    await sleep(200);
  }
}

/** GET /api/v2/traces/<id> as protobuf, with X-Scope-OrgID when `tenant` is given. */
export async function getTraceAs(api: ApiBase, traceId: string, tenant: string | undefined): Promise<RawResponse> {
  if (tenant === undefined) return getTrace(api, traceId, 'v2', 'protobuf');
  const res = await fetch(api.apiUrl(`/api/v2/traces/${traceId}`), {
    headers: { accept: 'application/protobuf', 'X-Scope-OrgID': tenant },
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) };
}

export interface RecordExpectations {
  readonly partitionTracesById: boolean;
  readonly compression: Compression;
  /** Every record's headers; none when not given. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The Collector's record contract. With partition_traces_by_id: every record holds one trace and is keyed by
 * its trace ID as 32 lowercase hex characters, and all records of a trace share a partition (the Collector
 * writes one record per resource × scope × trace, batchpersignal.SplitTraces; one per trace is as valid).
 * Without it: one record per request, no key. Headers as expected (none unless a tenant was sent). Record
 * batches compressed with the configured codec. Returns a summary line.
 */
export function expectRecordShape(contents: TopicContents, sent: SentTraces, e: RecordExpectations): string {
  const { records, decompressed } = contents;
  const traceIds = [...sent.expected.keys()].sort();
  if (e.partitionTracesById) {
    for (const r of records) {
      assert.deepEqual([...r.traces.keys()], [r.key], `record keyed ${r.key} holds traces ${[...r.traces.keys()].join(',')}`);
    }
    assert.deepEqual([...new Set(records.map((r) => r.key))].sort(), traceIds, 'record keys are not the trace IDs in lowercase hex');
    for (const id of traceIds) {
      const partitions = new Set(records.filter((r) => r.key === id).map((r) => r.partition));
      assert.equal(partitions.size, 1, `records of trace ${id} in partitions ${[...partitions].join(',')}`);
    }
  } else {
    assert.equal(records.length, 1, `expected one record for the one request, got ${records.length}`);
    assert.equal(records[0]!.key, null, `expected no key, got ${records[0]!.key}`);
    assert.deepEqual([...records[0]!.traces.keys()].sort(), traceIds);
  }
  for (const id of traceIds) {
    const spanIds = records.flatMap((r) => [...(r.traces.get(id) ?? [])]).sort();
    assert.deepEqual(spanIds, sent.expected.get(id)!.map((s) => s.spanId).sort(), `span IDs of trace ${id} in the records`);
  }
  for (const r of records) assert.deepEqual(r.headers, e.headers ?? {}, `record headers: ${JSON.stringify(r.headers)}`);
  const want = { gzip: e.compression === 'gzip', zstd: e.compression === 'zstd' };
  assert.ok(e.compression !== 'snappy' && e.compression !== 'lz4', `the interop reader has no ${e.compression} codec`);
  assert.deepEqual({ gzip: decompressed.gzip > 0, zstd: decompressed.zstd > 0 }, want,
    `compression: expected ${e.compression}, batches decompressed ${JSON.stringify(decompressed)}`);
  return describeRecords(records, decompressed);
}

export function describeRecords(records: readonly RawRecord[], decompressed: TopicContents['decompressed']): string {
  const keys = records.map((r) => `p${r.partition}:${r.key === null ? 'null' : r.key.slice(0, 8) + '…'}`).join(' ');
  const codec = decompressed.zstd > 0 ? `zstd×${decompressed.zstd}` : decompressed.gzip > 0 ? `gzip×${decompressed.gzip}` : 'uncompressed';
  return `${records.length} records [${keys}], ${codec}, ${records.reduce((n, r) => n + r.valueBytes, 0)} value bytes`;
}
