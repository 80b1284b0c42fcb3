import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { recordSimpleTrace, traceIdOf } from '../sdk-spans.ts';
import { getTrace, waitFor } from '../tempo-client.ts';
import type { NormSpan } from '../trace-model.ts';
import type { TracelakeProcess } from '../tracelake-process.ts';
import { Cluster } from './cluster.ts';
import { encodeSpans, postOtlpHttp } from './raw-otlp.ts';
import { expectedSpans, liveTraces, receiverAcceptedSpans, spansInBlocks, waitForWholeTraces } from './trace-checks.ts';

const SPANS_PER_TRACE = 3;

interface SenderOptions {
  readonly loops: number;
  readonly tracesPerRequest: number;
  /** Pause after each request: keeps the volume (and the time to check it all) small. */
  readonly pauseMs: number;
}

/** Loops posting requests of fresh traces until stopped; remembers what got a 200. */
class Sender {
  readonly acked = new Map<string, NormSpan[]>();
  readonly refused: string[] = [];
  readonly #o: SenderOptions;
  readonly #loops: Promise<void>[];
  #stopped = false;

  constructor(gateway: TracelakeProcess, options: SenderOptions) {
    this.#o = options;
    this.#loops = Array.from({ length: options.loops }, () => this.#loop(gateway));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#loops);
  }

  async #loop(gateway: TracelakeProcess): Promise<void> {
    while (!this.#stopped) {
      const traces = Array.from({ length: this.#o.tracesPerRequest }, () => recordSimpleTrace({ spans: SPANS_PER_TRACE, name: 'stream' }));
      const answer = await postOtlpHttp(gateway.otlpHttpUrl, encodeSpans(traces.flat()));
      if (answer.status === 200) for (const spans of traces) this.acked.set(traceIdOf(spans), expectedSpans(spans));
      else this.refused.push(`${answer.status} ${answer.body.toString('latin1').slice(0, 100)}`);
      await sleep(this.#o.pauseMs);
    }
  }
}

describe('ingester killed with SIGKILL mid-stream', function () {
  let cluster: Cluster | undefined;
  let sender: Sender | undefined;

  afterEach(async function () {
    await sender?.stop();
    await cluster?.close();
    sender = undefined;
    cluster = undefined;
  });

  /**
   * Streams through the gateway into one ingester, kills it, keeps streaming, restarts it on the same
   * folder (`between` runs while it is down), streams on; then every acknowledged trace must be served
   * whole and exactly once, first with live data and WAL, then from blocks alone.
   */
  async function crashAndRestart(name: string, between: (c: Cluster) => Promise<void>): Promise<{ second: TracelakeProcess; acked: number }> {
    const c = (cluster = await Cluster.create(name));
    // Short idle period and small blocks: blocks are cut during the stream, so records read again after
    // the restart meet spans already in blocks, in the WAL and live.
    const ingesterKeys = { trace_idle_period: '300ms', max_block_duration: '1s', max_block_bytes: '16KiB' };
    const [gateway, first] = await Promise.all([c.startGateway(), c.startIngester({ ingester: ingesterKeys })]);
    const s = (sender = new Sender(gateway, { loops: 4, tracesPerRequest: 5, pauseMs: 100 }));
    const ackedAtLeast = (n: number, what: string) => waitFor(what, async () => (s.acked.size >= n ? true : undefined), 20_000);

    await ackedAtLeast(40, '40 acknowledged traces');
    const [firstId] = s.acked.keys();
    await waitFor('the first trace served by the first ingester', async () => ((await getTrace(first, firstId!, 'v2', 'protobuf')).status === 200 ? true : undefined));
    await ackedAtLeast(120, '120 acknowledged traces before the kill');

    first.child.kill('SIGKILL');
    assert.deepEqual(await first.exited, { code: null, signal: 'SIGKILL' });
    const atKill = s.acked.size;
    await ackedAtLeast(atKill + 40, '40 more acknowledged traces while no ingester runs');
    await between(c);

    const second = await c.restart(first);
    await ackedAtLeast(s.acked.size + 40, '40 more acknowledged traces after the restart');
    await s.stop();
    assert.deepEqual(s.refused, [], 'the gateway refused requests, though Kafka was up all along');

    await waitForWholeTraces(second, s.acked, { timeoutMs: 40_000, allVariants: false });
    // Once nothing is left live, the same answers come from blocks alone (some written before the kill).
    await waitFor('every trace cut into a flushed block', async () => ((await liveTraces(second)) === 0 ? true : undefined), 20_000);
    assert.ok((await spansInBlocks(second.blocksDir)) >= s.acked.size * SPANS_PER_TRACE, 'blocks hold fewer spans than were acknowledged');
    await waitForWholeTraces(second, s.acked, { timeoutMs: 1000, allVariants: false });
    return { second, acked: s.acked.size };
  }

  it('serves every acknowledged trace whole and without duplicate spans after a restart', async function () {
    this.timeout(90_000);
    // The restarted member gets the partitions once the killed one's session (6 s in tests) expired.
    await crashAndRestart('crash', async () => {});
  });

  it('serves every acknowledged trace exactly once when all records are read again (a crash before any commit)', async function () {
    this.timeout(90_000);
    // The worst case of at-least-once: the group's offsets go back to 0 while the ingester is down, so the
    // restarted one reads again every record it already has in its WAL and blocks.
    const { second, acked } = await crashAndRestart('crash-rewind', (c) => c.rewindGroup());
    assert.ok((await receiverAcceptedSpans(second)) >= acked * SPANS_PER_TRACE,
      'the restarted ingester did not read the topic again from the beginning');
  });
});
