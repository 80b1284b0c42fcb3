import assert from 'node:assert/strict';
import { buildRecords, type RecordOptions } from '../../../exporters/kafka/build-records.ts';
import { PermanentError } from '../../../pipeline/errors.ts';
import { unmarshalTraces } from '../../../pipeline/kafka/encoding.ts';
import { TENANT_HEADER } from '../../../pipeline/kafka/tenant-header.ts';
import { makeBatch, type TraceBatch } from '../../../pipeline/trace-batch.ts';
import { spansByTrace, traceFixture } from '../../pipeline/kafka/trace-fixtures.ts';

const PLAIN: RecordOptions = { encoding: 'otlp_proto', partitionByTraceId: false, maxMessageBytes: 1_000_000 };
const BY_TRACE: RecordOptions = { ...PLAIN, partitionByTraceId: true };

function valueOf(record: ReturnType<typeof buildRecords>[number]): Buffer {
  return record.message.value as Buffer;
}

/** All spans of several records merged back, by trace. */
function merged(records: ReturnType<typeof buildRecords>, options: RecordOptions): Map<string, string[]> {
  const batches: TraceBatch[] = records.map((r) => unmarshalTraces(valueOf(r), options.encoding).batch);
  return spansByTrace(makeBatch(batches.flatMap((b) => b.resourceSpans)));
}

describe('buildRecords', () => {
  it('writes one unkeyed record per request without partition_traces_by_id', () => {
    const { batch } = traceFixture({ traces: 5 });
    const records = buildRecords(batch, {}, PLAIN);
    assert.equal(records.length, 1);
    assert.equal(records[0]!.message.key, null);
    assert.equal(records[0]!.message.headers, undefined);
    assert.deepEqual(merged(records, PLAIN), spansByTrace(batch));
  });

  it('writes one record per trace keyed by the trace ID with partition_traces_by_id', () => {
    const { batch, traceIds } = traceFixture({ services: 2, traces: 4 });
    const records = buildRecords(batch, {}, BY_TRACE);
    assert.deepEqual(records.map((r) => String(r.message.key)).sort(), [...traceIds].sort());
    for (const record of records) {
      const only = spansByTrace(unmarshalTraces(valueOf(record), 'otlp_proto').batch);
      assert.deepEqual([...only.keys()], [String(record.message.key)]);
      assert.deepEqual(only.get(String(record.message.key)), spansByTrace(batch).get(String(record.message.key)));
    }
  });

  it('puts the tenant in the X-Scope-OrgID header of every record', () => {
    const { batch } = traceFixture({ traces: 3 });
    for (const record of buildRecords(batch, { tenant: 'team-a' }, BY_TRACE)) {
      assert.deepEqual(record.message.headers, { [TENANT_HEADER]: 'team-a' });
    }
  });

  it('counts each record\'s key, value, headers and framing', () => {
    const { batch } = traceFixture({ traces: 1 });
    const [record] = buildRecords(batch, { tenant: 'acme' }, BY_TRACE);
    assert.equal(record!.bytes, 32 + valueOf(record!).length + TENANT_HEADER.length + 4 + 36);
  });

  for (const encoding of ['otlp_proto', 'otlp_json'] as const) {
    it(`splits a request over max_message_bytes into records under it (${encoding})`, () => {
      const options: RecordOptions = { ...PLAIN, encoding, maxMessageBytes: 8192 };
      const { batch } = traceFixture({ services: 3, traces: 20, spansPerTrace: 2, padding: 300 });
      const records = buildRecords(batch, { tenant: 't' }, options);
      assert.ok(records.length > 5, `${records.length} records`);
      for (const record of records) assert.ok(record.bytes + 61 <= 8192, `${record.bytes} bytes`);
      assert.deepEqual(merged(records, options), spansByTrace(batch));
    });
  }

  it('splits a trace over the limit into several records with the same key', () => {
    const options: RecordOptions = { ...BY_TRACE, maxMessageBytes: 4096 };
    const { batch, traceIds } = traceFixture({ services: 2, traces: 1, spansPerTrace: 30, padding: 200 });
    const records = buildRecords(batch, {}, options);
    assert.ok(records.length > 2);
    assert.ok(records.every((r) => String(r.message.key) === traceIds[0]));
    assert.deepEqual(merged(records, options), spansByTrace(batch));
  });

  it('refuses a span that alone exceeds max_message_bytes with a PermanentError naming the sizes', () => {
    const { batch } = traceFixture({ services: 1, traces: 2, spansPerTrace: 1, padding: 5000 });
    assert.throws(() => buildRecords(batch, {}, { ...PLAIN, maxMessageBytes: 2048 }), (err: unknown) => {
      assert.ok(err instanceof PermanentError);
      assert.match(err.message, /a span encodes to \d+ bytes .*max_message_bytes 2048/);
      return true;
    });
  });

  it('writes no records for a request without spans', () => {
    assert.deepEqual(buildRecords(makeBatch([]), {}, BY_TRACE), []);
  });
});
