import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { BlockReader } from '../../../backend/block/block-reader.ts';
import type { TraceEntry } from '../../../backend/block/block-meta.ts';
import { LocalObjectStore } from '../../../backend/storage/local-object-store.ts';
import { packWriteRequest, unpackWriteRequest } from '../../../exporters/tracelake/block-write-messages.ts';
import { ThreadedBlockWriter } from '../../../exporters/tracelake/threaded-block-writer.ts';
import { RetryableError } from '../../../pipeline/errors.ts';
import { encodeTrace } from '../../support/otlp-traces.ts';

function entries(n: number): TraceEntry[] {
  return Array.from({ length: n }, (_, i) => {
    const hex = (i + 1).toString(16).padStart(32, '0');
    return {
      traceId: Buffer.from(hex, 'hex'),
      trace: encodeTrace([{ service: `svc-${i % 3}`, scopes: [{ name: 'lib', spans: [{ traceId: hex, spanId: (i + 1).toString(16).padStart(16, '0'), name: `op-${i}` }] }] }]),
      startUnixNano: 1e18 + i, endUnixNano: 1e18 + i + 1000, spanCount: 1,
    };
  });
}

describe('ThreadedBlockWriter', function () {
  this.timeout(20_000);
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'tracelake-threaded-')); });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('packs entries into transferable buffers and back unchanged', () => {
    const input = entries(5);
    const { request, transfer } = packWriteRequest(7, { tenantID: 't', blockID: 'b', entries: input, bloomFalsePositive: 0.01 });
    assert.equal(transfer.length, 3);
    const back = unpackWriteRequest(request);
    assert.equal(back.tenantID, 't');
    assert.equal(back.bloomFalsePositive, 0.01);
    assert.deepEqual(back.entries.map((e) => [Buffer.from(e.traceId), Buffer.from(e.trace), e.startUnixNano, e.endUnixNano, e.spanCount]),
      input.map((e) => [Buffer.from(e.traceId), Buffer.from(e.trace), e.startUnixNano, e.endUnixNano, e.spanCount]));
  });

  it('writes a block on its own thread that reads back trace by trace from the same store', async () => {
    const writer = new ThreadedBlockWriter({ backend: 'local', path: dir }, pino({ level: 'silent' }));
    try {
      const input = entries(2000);
      const meta = await writer.write({ tenantID: 'acme', blockID: '5b0d7f1e-8a3c-4e6f-b2a9-7d41c0e3f859', entries: input, bloomFalsePositive: 0.01 });
      assert.equal(meta.totalObjects, 2000);
      assert.equal(meta.tenantID, 'acme');
      const reader = new BlockReader(new LocalObjectStore(dir));
      for (const e of [input[0]!, input[999]!, input[1999]!]) assert.ok(await reader.findTrace(meta, e.traceId));
    } finally {
      await writer.close();
    }
  });

  it('rejects with a retryable error what the thread could not write', async () => {
    const writer = new ThreadedBlockWriter({ backend: 'local', path: dir }, pino({ level: 'silent' }));
    try {
      await assert.rejects(writer.write({ tenantID: 'acme', blockID: 'b', entries: [], bloomFalsePositive: 0.01 }),
        (err: unknown) => err instanceof RetryableError && /block write failed: .*at least one trace/.test((err as Error).message));
    } finally {
      await writer.close();
    }
  });
});
