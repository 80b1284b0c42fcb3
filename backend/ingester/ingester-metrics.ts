import type { Counter, Gauge, Registry } from 'prom-client';
import { counter, gauge } from '../../pipeline/telemetry.ts';

export interface IngesterMetrics {
  readonly blocksFlushed: Counter<'tenant'>;
  readonly bytesWritten: Counter;
  readonly flushFailures: Counter;
  readonly liveTraces: Gauge;
  readonly walBytesWritten: Counter;
}

export function ingesterMetrics(registry: Registry): IngesterMetrics {
  return {
    blocksFlushed: counter(registry, 'tracelake_ingester_blocks_flushed_total', 'Blocks written to object storage.', ['tenant']),
    bytesWritten: counter(registry, 'tracelake_ingester_bytes_written_total', 'Bytes of block data objects written.', []),
    flushFailures: counter(registry, 'tracelake_ingester_flush_failures_total', 'Block flushes that failed and will be retried.', []),
    liveTraces: gauge(registry, 'tracelake_ingester_live_traces', 'Traces held by the ingester and not yet in a flushed block.', []),
    walBytesWritten: counter(registry, 'tracelake_ingester_wal_bytes_written_total', 'Bytes appended to the write-ahead log.', []),
  };
}
