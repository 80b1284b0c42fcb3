import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ConfigError } from '../../pipeline/errors.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { BlockList } from './block-list.ts';

/** blocklist_poll of the embedded default (Tempo's is 5m): compactions show up within half a minute. */
export const DEFAULT_BLOCKLIST_POLL_MS = 30_000;

export interface BlocklistPollerOptions {
  readonly store: ObjectStore;
  readonly logger: Logger;
  readonly metrics: Registry;
  /**
   * `builder` lists each tenant's blocks and writes `<tenant>/index.json.gz` (the compactor, or the single
   * embedded process); `reader` reads that index and lists only when it is missing, stale or corrupt.
   */
  readonly mode: 'builder' | 'reader';
  /** The list kept up to date; default a new one. Share it with TraceDb and the in-process ingester. */
  readonly blocks?: BlockList;
  /** blocklist_poll; default DEFAULT_BLOCKLIST_POLL_MS. */
  readonly pollIntervalMs?: number;
  /**
   * blocklist_poll_stale_tenant_index: a reader lists the tenant itself when the index is older than
   * this; default 2 × pollIntervalMs (the builder's poll plus its duration).
   */
  readonly staleIndexMs?: number;
  /** Meta reads in flight per tenant; default 16. */
  readonly concurrency?: number;
  /** Tenants polled at once; default 4. */
  readonly tenantConcurrency?: number;
  /** Clock; default Date.now. */
  readonly now?: () => number;
}

export function checkPollerOptions(options: BlocklistPollerOptions): void {
  const positive = { pollIntervalMs: options.pollIntervalMs, staleIndexMs: options.staleIndexMs,
    concurrency: options.concurrency, tenantConcurrency: options.tenantConcurrency };
  const bad = Object.entries(positive).filter(([, v]) => v !== undefined && !(Number.isSafeInteger(v) && v > 0));
  if (bad.length > 0) throw new ConfigError(`blocklist poller: ${bad.map(([k, v]) => `${k} ${v} is not a positive integer`).join('; ')}`);
  if (options.mode !== 'builder' && options.mode !== 'reader') {
    throw new ConfigError(`blocklist poller: mode ${JSON.stringify(options.mode)} is not builder or reader`);
  }
}
