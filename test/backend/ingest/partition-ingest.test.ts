import assert from 'node:assert/strict';
import pino from 'pino';
import type { FlushIntent } from '../../../backend/ingest/flush-intent.ts';
import type { PartitionData } from '../../../backend/ingest/partition-data.ts';
import { PartitionIngest, type CommittedPosition } from '../../../backend/ingest/partition-ingest.ts';
import { decodeTraceRequest } from '../../../pipeline/otlp/decode-trace-request.ts';
import { encodeTrace } from '../../support/otlp-traces.ts';

const TRACE = 'ab'.repeat(16);

function record(spanId: string) {
  const bytes = encodeTrace([{ service: 'api', scopes: [{ name: 'lib', spans: [{ traceId: TRACE, spanId, name: 'op' }] }] }]);
  return { tenant: 'single-tenant', batch: decodeTraceRequest(bytes).batch };
}

/** Records what the partition asks of Kafka and storage; writes fail while `failWrites` > 0. */
function harness(position: CommittedPosition) {
  const log: string[] = [];
  const ranges: FlushIntent[] = [];
  let failWrites = 0;
  const ingest = new PartitionIngest(3, position, {
    commit: async (partition, offset, metadata) => { log.push(`commit ${partition}@${offset} ${metadata ?? '-'}`); },
    writeBlocks: async (_p, range: FlushIntent, data: PartitionData) => {
      if (failWrites > 0) {
        failWrites--;
        throw new Error('store down');
      }
      ranges.push(range);
      log.push(`write ${range.start}-${range.end} spans=${data.spans}`);
    },
    onFlushFailure: () => log.push('failure'),
    logger: pino({ level: 'silent' }),
  });
  return { ingest, log, ranges, failNextWrites: (n: number) => { failWrites = n; } };
}

describe('PartitionIngest', () => {
  it('flushes a range as intent commit, blocks, then the offset after it', async () => {
    const { ingest, log } = harness({ offset: 5, intent: undefined });
    ingest.add(5, record('0000000000000001'), 10, 0);
    ingest.add(6, record('0000000000000002'), 10, 0);
    ingest.cut();
    await ingest.flushed();
    assert.deepEqual(log, ['commit 3@5 tracelake-flush:5-6', 'write 5-6 spans=2', 'commit 3@7 -']);
  });

  it('cuts exactly at a flush intent found at assignment, however long the range waits', async () => {
    const { ingest, ranges } = harness({ offset: 5, intent: { start: 5, end: 7 } });
    ingest.add(5, record('0000000000000001'), 10, 0);
    assert.equal(ingest.isDue(10 ** 9, 1, 1), false, 'not cut by age or size before the intent end');
    ingest.add(6, record('0000000000000002'), 10, 0);
    ingest.add(7, record('0000000000000003'), 10, 0);
    ingest.add(8, record('0000000000000004'), 10, 0);
    ingest.cut();
    await ingest.flushed();
    assert.deepEqual(ranges, [{ start: 5, end: 7 }, { start: 8, end: 8 }]);
  });

  it('skips records below what it already holds (consumed again after a rebalance)', async () => {
    const { ingest, log } = harness({ offset: 0, intent: undefined });
    ingest.add(0, record('0000000000000001'), 10, 0);
    ingest.add(1, record('0000000000000002'), 10, 0);
    ingest.add(0, record('0000000000000001'), 10, 0);
    ingest.add(1, record('0000000000000002'), 10, 0);
    ingest.add(2, record('0000000000000003'), 10, 0);
    ingest.cut();
    await ingest.flushed();
    assert.deepEqual(log.filter((l) => l.startsWith('write')), ['write 0-2 spans=3']);
  });

  it('starts its first range at the first record when the group never committed', async () => {
    const { ingest, ranges } = harness({ offset: undefined, intent: undefined });
    ingest.add(40, record('0000000000000001'), 10, 0);
    ingest.cut();
    await ingest.flushed();
    assert.deepEqual(ranges, [{ start: 40, end: 40 }]);
  });

  it('serves held spans while they wait, and retries a failed write before committing past it', async () => {
    const { ingest, log, failNextWrites } = harness({ offset: 0, intent: undefined });
    failNextWrites(1);
    ingest.add(0, record('0000000000000001'), 10, 0);
    assert.equal(ingest.partsOf('single-tenant', Buffer.from(TRACE, 'hex')).length, 1);
    ingest.cut();
    await ingest.flushed();
    assert.deepEqual(log, ['commit 3@0 tracelake-flush:0-0', 'failure', 'commit 3@0 tracelake-flush:0-0', 'write 0-0 spans=1', 'commit 3@1 -']);
    assert.equal(ingest.partsOf('single-tenant', Buffer.from(TRACE, 'hex')).length, 0);
  });

  it('is due by size or age', () => {
    const { ingest } = harness({ offset: 0, intent: undefined });
    assert.equal(ingest.isDue(0, 100, 100), false);
    ingest.add(0, record('0000000000000001'), 60, 1000);
    assert.equal(ingest.isDue(1050, 100, 100), false);
    assert.equal(ingest.isDue(1100, 100, 100), true);
    ingest.add(1, record('0000000000000002'), 60, 1000);
    assert.equal(ingest.isDue(1000, 100, 100), true);
  });

  it('commits the offset past a range of records without spans, writing nothing', async () => {
    const { ingest, log } = harness({ offset: 0, intent: undefined });
    ingest.add(0, undefined, 10, 0);
    ingest.cut();
    await ingest.flushed();
    assert.deepEqual(log, ['commit 3@1 -']);
  });

  it('stops retrying once revoked, leaving the offsets uncommitted', async () => {
    const { ingest, log, failNextWrites } = harness({ offset: 0, intent: undefined });
    failNextWrites(100);
    ingest.add(0, record('0000000000000001'), 10, 0);
    ingest.cut();
    await new Promise((r) => setTimeout(r, 50));
    ingest.revoke();
    await ingest.flushed();
    assert.ok(!log.some((l) => l.startsWith('commit 3@1')), log.join('\n'));
    assert.equal(ingest.heldBytes, 0);
  });
});
