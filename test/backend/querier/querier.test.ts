import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { BlockIdRange } from '../../../backend/querier/block-id-range.ts';
import { Querier } from '../../../backend/querier/querier.ts';
import type { TimeRange, TraceSource } from '../../../backend/querier/trace-source.ts';
import { RetryableError } from '../../../pipeline/errors.ts';
import { encodeTrace, summarize, TRACE_ID } from '../../support/otlp-traces.ts';

const logger = pino({ level: 'silent' });
const id = Buffer.from(TRACE_ID, 'hex');

function part(spanId: string, name: string): Uint8Array {
  return encodeTrace([{ service: 'api', scopes: [{ name: 'http', spans: [{ traceId: TRACE_ID, spanId, name }] }] }]);
}

function source(parts: Uint8Array[]): TraceSource {
  return { findTraceById: async () => parts };
}

const failing: TraceSource = { findTraceById: async () => { throw new Error('bucket unreachable'); } };

describe('Querier', () => {
  it('merges the parts of every source, without duplicates', async () => {
    const live = part('0000000000000001', 'root');
    const blocks = [part('0000000000000002', 'child'), part('0000000000000001', 'root')];
    const querier = new Querier({ live: [source([live]), source(blocks)], logger });
    const result = await querier.traceById('t', id);
    assert.ok(result !== undefined);
    assert.equal(result.status, 'complete');
    assert.equal(result.message, undefined);
    assert.equal(result.spanCount, 2);
    assert.equal(result.inspectedBytes, live.byteLength + blocks[0]!.byteLength + blocks[1]!.byteLength);
    assert.deepEqual(summarize(result.trace), ['api/http: 0000000000000001 root, 0000000000000002 child']);
  });

  it('returns undefined when every source answered and none has the trace', async () => {
    const querier = new Querier({ live: [source([]), source([])], logger });
    assert.equal(await querier.traceById('t', id), undefined);
  });

  it('passes tenant, trace ID and time range to every source', async () => {
    const calls: unknown[][] = [];
    const recording: TraceSource = {
      findTraceById: async (tenant: string, traceId: Uint8Array, range?: TimeRange) => {
        calls.push([tenant, Buffer.from(traceId).toString('hex'), range]);
        return [];
      },
    };
    const querier = new Querier({ live: [recording, recording], logger });
    await querier.traceById('team-a', id, { start: 10, end: 20 });
    assert.deepEqual(calls, [['team-a', TRACE_ID, { start: 10, end: 20 }], ['team-a', TRACE_ID, { start: 10, end: 20 }]]);
  });

  it('returns a partial trace when one source fails', async () => {
    const querier = new Querier({ live: [source([part('0000000000000001', 'root')]), failing], logger });
    const result = await querier.traceById('t', id);
    assert.ok(result !== undefined);
    assert.equal(result.status, 'partial');
    assert.equal(result.message, '1 of 2 trace sources failed, a partial trace is returned');
    assert.deepEqual(summarize(result.trace), ['api/http: 0000000000000001 root']);
  });

  it('returns a partial empty trace, not "not found", when the sources that answered had nothing', async () => {
    const result = await new Querier({ live: [source([]), failing], logger }).traceById('t', id);
    assert.ok(result !== undefined);
    assert.equal(result.status, 'partial');
    assert.equal(result.spanCount, 0);
  });

  it('counts a malformed part as a failed source', async () => {
    const bad = source([Uint8Array.of(0x0a, 0x09)]);
    const result = await new Querier({ live: [source([part('0000000000000001', 'a')]), bad], logger }).traceById('t', id);
    assert.equal(result?.status, 'partial');
    assert.equal(result?.spanCount, 1);
  });

  it('throws RetryableError when every source fails', async () => {
    const querier = new Querier({ live: [failing, failing], logger });
    await assert.rejects(querier.traceById('t', id), (err: unknown) => {
      assert.ok(err instanceof RetryableError);
      assert.equal(err.message, 'every trace source failed');
      assert.equal((err.cause as Error).message, 'bucket unreachable');
      return true;
    });
  });

  describe('modes (query-frontend jobs)', () => {
    const live = part('0000000000000001', 'live');
    const block = part('0000000000000002', 'block');
    const shards: (BlockIdRange | undefined)[] = [];
    const querier = new Querier({ live: [source([live])], blocks: (shard) => { shards.push(shard); return source([block]); }, logger });
    const shard = { start: '80000000-0000-0000-0000-000000000000', end: 'ffffffff-ffff-ffff-ffff-ffffffffffff' };

    beforeEach(() => { shards.length = 0; });

    it('asks only the live sources in mode ingesters', async () => {
      const result = await querier.traceById('t', id, undefined, { mode: 'ingesters' });
      assert.deepEqual(summarize(result!.trace), ['api/http: 0000000000000001 live']);
      assert.deepEqual(shards, []);
    });

    it('asks only the blocks of the given block ID range in mode blocks', async () => {
      const result = await querier.traceById('t', id, undefined, { mode: 'blocks', blockIds: shard });
      assert.deepEqual(summarize(result!.trace), ['api/http: 0000000000000002 block']);
      assert.deepEqual(shards, [shard]);
    });

    it('asks live sources and every block in mode all, the default', async () => {
      const result = await querier.traceById('t', id);
      assert.deepEqual(summarize(result!.trace), ['api/http: 0000000000000001 live, 0000000000000002 block']);
      assert.deepEqual(shards, [undefined]);
    });

    it('answers mode ingesters with nothing live as not found, and refuses mode blocks without blocks (RetryableError)', async () => {
      const noBlocks = new Querier({ live: [], logger });
      assert.equal(await noBlocks.traceById('t', id, undefined, { mode: 'ingesters' }), undefined);
      await assert.rejects(noBlocks.traceById('t', id, undefined, { mode: 'blocks' }),
        (err: unknown) => err instanceof RetryableError && /reads no blocks/.test(err.message));
    });
  });
});
