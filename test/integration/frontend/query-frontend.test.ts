import assert from 'node:assert/strict';
import { basename, dirname, join } from 'node:path';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { blockMetas } from '../block-files.ts';
import { RoleProcess } from '../roles/role-process.ts';
import { randomHex, recordSimpleTrace, sendSpans } from '../sdk-spans.ts';
import { API_VARIANTS, fetchSpans, getTrace, waitFor } from '../tempo-client.ts';
import { fromProtobufTrace, fromReadableSpan, sortSpans, type NormSpan } from '../trace-model.ts';
import { decodeMessage } from '../trace-proto.ts';
import { freePorts, makeTempDir, removeDir, type Ports } from '../tracelake-process.ts';
import { roleConfig, type ConfigPatch } from '../roles/role-config.ts';

const TRACES = 6;
const ROUNDS = 3;

/** What was written: each trace's spans per round, and the block each round made. */
interface Written {
  readonly ids: string[];
  /** spans[trace][round] */
  readonly spans: ReadableSpan[][][];
  readonly blockOfRound: string[];
}

describe('query-frontend over queriers (real processes)', function () {
  this.timeout(180_000);
  let dir: string;
  let blocksDir: string;
  let written: Written;
  const roles: RoleProcess[] = [];

  function start(config: { path: string; ports: Ports }, target: string): RoleProcess {
    const role = new RoleProcess(config.path, target, config.ports);
    roles.push(role);
    return role;
  }

  /**
   * An ingester run per round, each ended by SIGTERM (one block per round): every trace gets spans in every
   * block, and trace 0's first-round spans are sent again in the last round (duplicates to drop).
   */
  before(async function () {
    dir = await makeTempDir();
    blocksDir = join(dir, 'blocks');
    const ids = Array.from({ length: TRACES }, () => randomHex(16));
    const spans: ReadableSpan[][][] = ids.map(() => []);
    const blockOfRound: string[] = [];
    const config = await roleConfig(dir, 'ingester', blocksDir);
    for (let round = 0; round < ROUNDS; round++) {
      const ingester = start(config, 'ingester');
      await ingester.waitReady();
      for (const [i, traceId] of ids.entries()) {
        const batch = recordSimpleTrace({ spans: 2, name: `t${i}-r${round}`, traceId });
        spans[i]!.push(batch);
        const again = round === ROUNDS - 1 && i === 0 ? spans[0]![0]! : [];
        await sendSpans(round % 2 === 0 ? 'grpc' : 'http/protobuf', ingester, [...batch, ...again]);
      }
      assert.deepEqual(await ingester.stop('SIGTERM'), { code: 0, signal: null });
      const blocks = (await blockMetas(blocksDir)).map((p) => basename(dirname(p)));
      const fresh = blocks.filter((b) => !blockOfRound.includes(b));
      assert.equal(fresh.length, 1, `round ${round} flushed one block`);
      blockOfRound.push(fresh[0]!);
    }
    written = { ids, spans, blockOfRound };
  });

  afterEach(async function () {
    for (const r of roles.splice(0)) await r.stop('SIGKILL');
  });

  after(async function () {
    await removeDir(dir);
  });

  function expected(i: number, rounds = [...Array(ROUNDS).keys()]): NormSpan[] {
    return sortSpans(rounds.flatMap((r) => written.spans[i]![r]!).map(fromReadableSpan));
  }

  /** Two queriers and a query-frontend sending them jobs, all ready and the queriers' block lists polled. */
  async function startCluster(querierPatch?: ConfigPatch): Promise<{ queriers: RoleProcess[]; frontend: RoleProcess }> {
    const queriers = [
      start(await roleConfig(dir, 'querier-1', blocksDir, querierPatch), 'querier'),
      start(await roleConfig(dir, 'querier-2', blocksDir, querierPatch), 'querier'),
    ];
    const addresses = queriers.map((q) => `127.0.0.1:${q.ports.api}`);
    const frontend = start(await roleConfig(dir, 'frontend', blocksDir, (doc) => {
      doc.setIn(['exporters', 'tracelake', 'query_frontend'],
        doc.createNode({ querier_addresses: addresses, query_shards: 4, max_concurrent_jobs: 4, querier_timeout: '2s' }));
    }), 'query-frontend');
    for (const role of [...queriers, frontend]) await role.waitReady();
    for (const q of queriers) {
      await waitFor('the querier to list every block', async () => {
        const res = await getTrace(q, written.ids[1]!, 'v2', 'protobuf');
        if (res.status !== 200) return undefined;
        const response = decodeMessage('TraceByIDResponse', res.body);
        return fromProtobufTrace(response.trace as Record<string, unknown>).length === expected(1).length ? true : undefined;
      });
    }
    return { queriers, frontend };
  }

  it('answers every trace whole through the frontend, in v1 and v2, protobuf and JSON, duplicates dropped', async function () {
    const { frontend } = await startCluster();
    assert.match(frontend.output, /"modules":\["query-frontend","api"\]/);
    for (const i of written.ids.keys()) {
      for (const { version, format } of API_VARIANTS) {
        assert.deepStrictEqual(await fetchSpans(frontend, written.ids[i]!, version, format), expected(i), `trace ${i} ${version} ${format}`);
      }
    }
    const res = await getTrace(frontend, written.ids[0]!, 'v2', 'protobuf');
    assert.equal(decodeMessage('TraceByIDResponse', res.body).status ?? 0, 0, 'complete, not PARTIAL');
    for (const version of ['v1', 'v2'] as const) {
      const missing = await getTrace(frontend, randomHex(16), version, 'protobuf');
      assert.equal(missing.status, 404, `${version} unknown trace`);
    }
  });

  it('serves query-frontend jobs on a querier: one block by its ID range, live traces only for mode ingesters', async function () {
    const { queriers: [querier] } = await startCluster();
    for (const [round, blockID] of written.blockOfRound.entries()) {
      const res = await fetch(querier!.apiUrl(`/querier/api/traces/${written.ids[2]}?mode=blocks&blockStart=${blockID}&blockEnd=${blockID}`),
        { headers: { accept: 'application/protobuf' } });
      assert.equal(res.status, 200);
      const response = decodeMessage('TraceByIDResponse', Buffer.from(await res.arrayBuffer()));
      assert.deepStrictEqual(sortSpans(fromProtobufTrace(response.trace as Record<string, unknown>)), expected(2, [round]), `block of round ${round}`);
    }
    const live = await fetch(querier!.apiUrl(`/querier/api/traces/${written.ids[2]}?mode=ingesters`));
    assert.equal(live.status, 404, 'a querier with no ingesters has no live traces');
    await live.arrayBuffer();
  });

  it('answers whole and complete through the other querier when one is killed, and 503 when both are', async function () {
    const { queriers: [first, second], frontend } = await startCluster();
    await first!.stop('SIGKILL');
    for (const i of written.ids.keys()) {
      const res = await getTrace(frontend, written.ids[i]!, 'v2', 'protobuf');
      assert.equal(res.status, 200, res.body.toString('utf8'));
      const response = decodeMessage('TraceByIDResponse', res.body);
      assert.equal(response.status ?? 0, 0, `trace ${i}: complete, the jobs retried on the other querier`);
      assert.deepStrictEqual(sortSpans(fromProtobufTrace(response.trace as Record<string, unknown>)), expected(i), `trace ${i}`);
    }
    await second!.stop('SIGKILL');
    for (const version of ['v1', 'v2'] as const) {
      const res = await getTrace(frontend, written.ids[0]!, version, 'protobuf');
      assert.equal(res.status, 503, `${version}: ${res.body.toString('utf8')}`);
      assert.equal(res.body.toString('utf8'), 'every query job failed');
    }
  });

  it('answers PARTIAL with every block\'s spans when the ingesters job fails on every querier', async function () {
    const deadIngester = `127.0.0.1:${(await freePorts()).api}`;
    const { frontend } = await startCluster((doc) => {
      doc.setIn(['exporters', 'tracelake', 'querier'], doc.createNode({ ingester_addresses: [deadIngester], ingester_timeout: '1s' }));
    });
    const res = await getTrace(frontend, written.ids[3]!, 'v2', 'protobuf');
    assert.equal(res.status, 200, res.body.toString('utf8'));
    const response = decodeMessage('TraceByIDResponse', res.body);
    assert.equal(response.status, 1, 'PARTIAL');
    assert.equal(response.message, '1 of 5 query jobs failed, a partial trace is returned');
    assert.deepStrictEqual(sortSpans(fromProtobufTrace(response.trace as Record<string, unknown>)), expected(3));
  });
});
