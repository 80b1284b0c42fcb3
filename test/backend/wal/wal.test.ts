import assert from 'node:assert/strict';
import { appendFile, mkdtemp, open, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { segmentPath } from '../../../backend/wal/segment-file.ts';
import type { WalRecord } from '../../../backend/wal/wal-record-layout.ts';
import { Wal } from '../../../backend/wal/wal.ts';
import { makeBatch, spansOf } from './fixtures/make-batch.ts';

async function replayAll(dir: string): Promise<{ wal: Wal; records: WalRecord[]; summary: Awaited<ReturnType<Wal['replay']>> }> {
  const wal = new Wal({ dir });
  await wal.open();
  const records: WalRecord[] = [];
  const summary = await wal.replay((r) => records.push(r));
  return { wal, records, summary };
}

describe('Wal', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tracelake-wal-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('hands back every record with its tenant, spans and span offsets on replay', async () => {
    const wal = new Wal({ dir });
    await wal.open();
    const first = makeBatch([{ service: 'a', spans: spansOf(1, 3, 0, 200) }]);
    const second = makeBatch([{ service: 'b', spans: spansOf(2, 2) }, { service: 'c', spans: spansOf(3, 1) }]);
    const a = wal.append('tenant-1', first.resourceSpans);
    const b = wal.append('tenänt-2', second.resourceSpans);
    await Promise.all([a.written, b.written]);
    await wal.close();

    const { records, summary } = await replayAll(dir);
    assert.deepEqual(records.map((r) => [r.tenant, r.batch.spanCount]), [['tenant-1', 3], ['tenänt-2', 3]]);
    assert.deepEqual([...records[1].layout.spanOffsets], [...b.layout.spanOffsets]);
    assert.equal(summary.records, 2);
    assert.equal(summary.spans, 6);
    assert.deepEqual(summary.truncated, []);
    const file = await readFile(segmentPath(dir, a.layout.segment));
    const span = first.resourceSpans[0].scopeSpans[0].spans[2];
    const at = a.layout.spanOffsets[2];
    assert.deepEqual(file.subarray(at, at + span.bytes.length), Buffer.from(span.bytes));
  });

  it('writes appends made in the same event-loop turn with one writev', async () => {
    const wal = new Wal({ dir });
    await wal.open();
    const probe = await open(path.join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { writev: (...args: unknown[]) => Promise<unknown> };
    await probe.close();
    const original = proto.writev;
    let calls = 0;
    proto.writev = function (this: unknown, ...args: unknown[]) {
      calls++;
      return original.apply(this, args);
    };
    try {
      const appends = Array.from({ length: 20 }, (_, i) => wal.append('t', makeBatch([{ service: 's', spans: spansOf(i, 2) }]).resourceSpans));
      await Promise.all(appends.map((p) => p.written));
    } finally {
      proto.writev = original;
    }
    assert.equal(calls, 1);
    await wal.close();
    const { records } = await replayAll(dir);
    assert.equal(records.length, 20);
  });

  it('truncates a torn record at the end of a segment and keeps the records before it', async () => {
    const wal = new Wal({ dir });
    await wal.open();
    const a = wal.append('t', makeBatch([{ service: 's', spans: spansOf(1, 2) }]).resourceSpans);
    const b = wal.append('t', makeBatch([{ service: 's', spans: spansOf(2, 2) }]).resourceSpans);
    await Promise.all([a.written, b.written]);
    await wal.close();
    const file = segmentPath(dir, a.layout.segment);
    const whole = await readFile(file);
    await appendFile(file, whole.subarray(0, 30));

    const { records, summary } = await replayAll(dir);
    assert.equal(records.length, 2);
    assert.deepEqual(summary.truncated, [{ segment: a.layout.segment, offset: whole.length }]);
    assert.equal((await stat(file)).size, whole.length);
  });

  it('stops at a record whose crc does not match and truncates the segment there', async () => {
    const wal = new Wal({ dir });
    await wal.open();
    const appends = [1, 2, 3].map((t) => wal.append('t', makeBatch([{ service: 's', spans: spansOf(t, 2) }]).resourceSpans));
    await Promise.all(appends.map((p) => p.written));
    await wal.close();
    const file = segmentPath(dir, appends[0].layout.segment);
    const bytes = await readFile(file);
    const second = appends[1].layout;
    bytes[second.offset + second.length - 5] ^= 0xff;
    await writeFile(file, bytes);

    const { records, summary } = await replayAll(dir);
    assert.equal(records.length, 1);
    assert.deepEqual(summary.truncated, [{ segment: second.segment, offset: second.offset }]);
    assert.equal((await stat(file)).size, second.offset);
  });

  it('rotates segments by size and on request, and deletes closed segments', async () => {
    const wal = new Wal({ dir, segmentBytes: 600 });
    await wal.open();
    const big = () => makeBatch([{ service: 's', spans: spansOf(1, 1, 0, 400) }]).resourceSpans;
    const a = wal.append('t', big());
    const b = wal.append('t', big());
    await Promise.all([a.written, b.written]);
    assert.equal(b.layout.segment, a.layout.segment + 1);
    wal.rotate();
    const c = wal.append('t', makeBatch([{ service: 's', spans: spansOf(2, 1) }]).resourceSpans);
    await c.written;
    assert.equal(c.layout.segment, b.layout.segment + 1);
    assert.deepEqual(wal.segments(), [a.layout.segment, b.layout.segment]);
    await assert.rejects(wal.deleteSegment(c.layout.segment), /still appended to/);
    await wal.deleteSegment(a.layout.segment);
    assert.deepEqual(wal.segments(), [b.layout.segment]);
    assert.deepEqual((await readdir(dir)).sort(), [path.basename(segmentPath(dir, b.layout.segment)), path.basename(segmentPath(dir, c.layout.segment))]);
    await wal.close();
  });

  it('appends to a new segment after reopening, never to an old one', async () => {
    const wal = new Wal({ dir });
    await wal.open();
    const a = wal.append('t', makeBatch([{ service: 's', spans: spansOf(1, 1) }]).resourceSpans);
    await a.written;
    await wal.close();
    const { wal: reopened } = await replayAll(dir);
    const b = reopened.append('t', makeBatch([{ service: 's', spans: spansOf(2, 1) }]).resourceSpans);
    await b.written;
    assert.equal(b.layout.segment, a.layout.segment + 1);
    assert.deepEqual(reopened.segments(), [a.layout.segment]);
    await reopened.close();
  });

  it('refuses appends behind a failed write and continues in a new segment', async () => {
    const wal = new Wal({ dir });
    await wal.open();
    // The segment file already exists: opening it for writing fails.
    await writeFile(segmentPath(dir, wal.currentSegment), 'in the way');
    const failed = wal.append('t', makeBatch([{ service: 's', spans: spansOf(1, 1) }]).resourceSpans);
    const behind = wal.append('t', makeBatch([{ service: 's', spans: spansOf(2, 1) }]).resourceSpans);
    await assert.rejects(failed.written, /EEXIST/);
    await assert.rejects(behind.written, /EEXIST/);
    const next = wal.append('t', makeBatch([{ service: 's', spans: spansOf(3, 1) }]).resourceSpans);
    await next.written;
    assert.equal(next.layout.segment, failed.layout.segment + 1);
    await wal.close();
  });

  it('replays nothing from an empty folder', async () => {
    const { wal, records, summary } = await replayAll(path.join(dir, 'new'));
    assert.equal(records.length, 0);
    assert.equal(summary.segments, 0);
    await wal.close();
  });
});
