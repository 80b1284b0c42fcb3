import { pino } from 'pino';
import { Registry } from 'prom-client';
import { ApiServer } from '../../../backend/api/api-server.ts';
import { tempoRoutes } from '../../../backend/api/tempo-routes.ts';
import { inBlockIdRange, type BlockIdRange } from '../../../backend/querier/block-id-range.ts';
import { Querier } from '../../../backend/querier/querier.ts';
import type { TimeRange, TraceSource } from '../../../backend/querier/trace-source.ts';
import { encodeTrace, TRACE_ID } from '../../support/otlp-traces.ts';

export const logger = pino({ level: 'silent' });

/** One span of the test trace, alone in a Trace message. */
export function part(spanId: string, name: string): Uint8Array {
  return encodeTrace([{ service: 'api', scopes: [{ name: 'http', spans: [{ traceId: TRACE_ID, spanId, name }] }] }]);
}

/** A block of the shared storage: its ID and the part of the trace it holds (none when it fails to read). */
export interface FakeBlock {
  readonly blockID: string;
  readonly part?: Uint8Array;
}

/** What every querier of one test saw, shared: block reads, calls, the peak of jobs in flight. */
export class Seen {
  readonly blockReads = new Map<string, number>();
  readonly calls: { querier: number; mode: 'ingesters' | 'blocks'; shard?: BlockIdRange; tenant: string; range?: TimeRange }[] = [];
  inFlight = 0;
  peak = 0;
}

export interface TestQuerierOptions {
  readonly index: number;
  readonly live: readonly TraceSource[];
  readonly blocks: readonly FakeBlock[];
  readonly seen: Seen;
  readonly multitenancy?: boolean;
  /** Each lookup waits this long (to overlap jobs). */
  readonly delayMs?: number;
}

/** A querier's Tempo API (the real routes and Querier) over fake live sources and fake blocks. */
export async function startTestQuerier(options: TestQuerierOptions): Promise<{ address: string; server: ApiServer }> {
  const { index, seen } = options;
  const track = async <T>(fn: () => Promise<T>): Promise<T> => {
    seen.inFlight++;
    seen.peak = Math.max(seen.peak, seen.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 0));
      return await fn();
    } finally {
      seen.inFlight--;
    }
  };
  const live = options.live.map((source): TraceSource => ({
    findTraceById: (tenant, traceId, range) => {
      seen.calls.push({ querier: index, mode: 'ingesters', tenant, range });
      return track(() => source.findTraceById(tenant, traceId, range));
    },
  }));
  const blocks = (shard?: BlockIdRange): TraceSource => ({
    findTraceById: (tenant, _traceId, range) => {
      seen.calls.push({ querier: index, mode: 'blocks', shard, tenant, range });
      return track(async () => {
        const parts: Uint8Array[] = [];
        for (const block of options.blocks.filter((b) => shard === undefined || inBlockIdRange(b.blockID, shard))) {
          seen.blockReads.set(block.blockID, (seen.blockReads.get(block.blockID) ?? 0) + 1);
          if (block.part === undefined) throw new Error(`block ${block.blockID} unreadable`);
          parts.push(block.part);
        }
        return parts;
      });
    },
  });
  const querier = new Querier({ live, blocks, logger });
  const metrics = new Registry();
  const server = new ApiServer({
    listenAddress: '127.0.0.1',
    port: 0,
    routes: tempoRoutes({
      lookup: querier, querier, multitenancy: options.multitenancy ?? false, isReady: () => true,
      build: { version: '0.1.0', revision: 'test', goVersion: 'node' }, metrics,
    }),
    logger,
    metrics,
  });
  await server.start();
  return { address: `127.0.0.1:${server.address().port}`, server };
}
