import type { BlockIdRange } from '../querier/block-id-range.ts';
import { blockIdShards } from './block-shards.ts';

/** One query a querier answers: the query string of `/querier/api/traces/<id>`. */
export interface TraceByIdJob {
  /** For logs: `ingesters` or `blocks <start>…<end>`. */
  readonly name: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Tempo's split of a trace-by-ID lookup: one job for the ingesters' live traces, one per shard of block IDs. */
export function traceByIdJobs(queryShards: number): TraceByIdJob[] {
  return [
    { name: 'ingesters', params: { mode: 'ingesters' } },
    ...blockIdShards(queryShards).map(blocksJob),
  ];
}

function blocksJob(shard: BlockIdRange): TraceByIdJob {
  return { name: `blocks ${shard.start}…${shard.end}`, params: { mode: 'blocks', blockStart: shard.start, blockEnd: shard.end } };
}
