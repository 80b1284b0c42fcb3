import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { counter, gauge, histogram } from '../../pipeline/telemetry.ts';

/** Tempo's blocklist metrics, under tracelake_. */
export interface BlocklistPollerMetrics {
  readonly pollDuration: Histogram<never>;
  readonly length: Gauge<'tenant'>;
  readonly pollErrors: Counter<'tenant'>;
  readonly indexErrors: Counter<'tenant'>;
  readonly indexAge: Gauge<'tenant'>;
}

export function blocklistPollerMetrics(registry: Registry): BlocklistPollerMetrics {
  return {
    pollDuration: histogram(registry, 'tracelake_blocklist_poll_duration_seconds', 'Time to poll and update the block list.',
      { labelNames: [], buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300] }),
    length: gauge(registry, 'tracelake_blocklist_length', 'Live blocks per tenant.', ['tenant']),
    pollErrors: counter(registry, 'tracelake_blocklist_poll_errors_total', 'Tenant polls that failed; the previous list is kept.', ['tenant']),
    indexErrors: counter(registry, 'tracelake_blocklist_tenant_index_errors_total',
      'Tenant indexes missing, stale or corrupt when read, or failing to be written.', ['tenant']),
    indexAge: gauge(registry, 'tracelake_blocklist_tenant_index_age_seconds', 'Age of the tenant index last read.', ['tenant']),
  };
}
