import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { SearchSettings } from '../../backend/search/search-limits.ts';
import { checkKey } from '../../backend/storage/object-key.ts';
import { MIN_S3_PART_SIZE, type S3ObjectStoreOptions } from '../../backend/storage/s3-object-store-options.ts';
import {
  compactorConfigProblems, resolveCompactorSettings, type CompactorSettings,
} from '../../backend/compactor/compactor-settings.ts';
import { deepMerge } from '../../pipeline/config/deep-merge.ts';
import { parseEndpoint } from '../../pipeline/endpoint.ts';
import { parseBytes, parseDuration } from '../../pipeline/config/units.ts';
import type { KafkaEncoding } from '../../pipeline/kafka/encoding.ts';
import { createDefaultTracelakeExporterConfig, type S3Config, type TracelakeExporterConfig } from './config.ts';

/** Where blocks are kept: what objectStoreFor opens. */
export type ObjectStoreSettings =
  | { readonly backend: 'local'; readonly path: string }
  | { readonly backend: 's3'; readonly s3: S3ObjectStoreOptions };

/** The exporter's config with defaults applied and units parsed: what the backend modules are built from. */
export interface TracelakeSettings {
  readonly listenAddress: string;
  readonly port: number;
  readonly multitenancy: boolean;
  readonly traceIdlePeriodMs: number;
  readonly maxBlockDurationMs: number;
  readonly maxBlockBytes: number;
  readonly completeBlockTimeoutMs: number;
  /** Set when the ingester consumes Kafka itself (ingest.enabled). */
  readonly ingest: KafkaIngestSettings | undefined;
  readonly store: ObjectStoreSettings;
  readonly walPath: string;
  readonly blocklistPollMs: number;
  readonly bloomFalsePositive: number;
  readonly compactor: CompactorSettings;
  readonly querier: QuerierSettings;
  readonly queryFrontend: QueryFrontendSettings;
}

export interface KafkaIngestSettings {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly groupId: string;
  readonly clientId: string;
  readonly encoding: KafkaEncoding;
  readonly fromBeginning: boolean;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxWaitMs: number;
}

export interface QuerierSettings {
  /** `host:port` of each ingester whose live traces a querier asks. */
  readonly ingesterAddresses: readonly string[];
  readonly ingesterTimeoutMs: number;
  /** Threads for block search jobs; 0 = on the event loop. */
  readonly searchWorkers: number;
}

export interface QueryFrontendSettings {
  /** `host:port` of each querier a query-frontend sends jobs to; empty = it queries by itself. */
  readonly querierAddresses: readonly string[];
  readonly queryShards: number;
  readonly maxConcurrentJobs: number;
  readonly querierTimeoutMs: number;
  readonly search: SearchSettings;
}

/** Keys left out (or written empty) take their defaults, whether or not the loader merged them already. */
export function resolveTracelakeSettings(config: TracelakeExporterConfig): TracelakeSettings {
  const c = withDefaults(config);
  const trace = c.storage.trace;
  return {
    listenAddress: c.server.http_listen_address,
    port: c.server.http_listen_port,
    multitenancy: c.multitenancy_enabled,
    traceIdlePeriodMs: parseDuration(c.ingester.trace_idle_period),
    maxBlockDurationMs: parseDuration(c.ingester.max_block_duration),
    maxBlockBytes: parseBytes(c.ingester.max_block_bytes),
    completeBlockTimeoutMs: parseDuration(c.ingester.complete_block_timeout),
    ingest: c.ingest.enabled ? kafkaIngestSettings(c.ingest.kafka) : undefined,
    store: trace.backend === 's3' ? { backend: 's3', s3: s3Options(trace.s3) } : { backend: 'local', path: trace.local.path },
    walPath: trace.wal.path,
    blocklistPollMs: parseDuration(trace.blocklist_poll),
    bloomFalsePositive: trace.block.bloom_filter_false_positive,
    compactor: resolveCompactorSettings(c.compactor, c.overrides),
    querier: {
      ingesterAddresses: [...c.querier.ingester_addresses],
      ingesterTimeoutMs: parseDuration(c.querier.ingester_timeout),
      searchWorkers: c.querier.search.workers === 'auto' ? availableParallelism() : c.querier.search.workers,
    },
    queryFrontend: {
      querierAddresses: [...c.query_frontend.querier_addresses],
      queryShards: c.query_frontend.query_shards,
      maxConcurrentJobs: c.query_frontend.max_concurrent_jobs,
      querierTimeoutMs: parseDuration(c.query_frontend.querier_timeout),
      search: searchSettings(c.query_frontend.search),
    },
  };
}

function searchSettings(q: TracelakeExporterConfig['query_frontend']['search']): SearchSettings {
  return {
    concurrentJobs: q.concurrent_jobs, targetBytesPerJob: parseBytes(q.target_bytes_per_job),
    defaultResultLimit: q.default_result_limit, maxResultLimit: q.max_result_limit,
    maxDurationMs: parseDuration(q.max_duration), queryTimeoutMs: parseDuration(q.query_timeout),
  };
}

function kafkaIngestSettings(k: TracelakeExporterConfig['ingest']['kafka']): KafkaIngestSettings {
  return {
    brokers: [...k.brokers], topic: k.topic, groupId: k.consumer_group, clientId: k.client_id, encoding: k.encoding,
    fromBeginning: k.initial_offset === 'earliest', sessionTimeoutMs: parseDuration(k.session_timeout),
    heartbeatIntervalMs: parseDuration(k.heartbeat_interval), maxWaitMs: parseDuration(k.max_fetch_wait),
  };
}

/** Cross-field checks once the schema passed; each string is `path: message`. */
export function tracelakeConfigProblems(config: TracelakeExporterConfig): string[] {
  const c = withDefaults(config);
  const s = resolveTracelakeSettings(c);
  const problems: string[] = [];
  const fp = s.bloomFalsePositive;
  if (!(fp > 0 && fp < 1)) {
    problems.push(`storage.trace.block.bloom_filter_false_positive: must be between 0 and 1 (exclusive), got ${fp}`);
  }
  if (s.traceIdlePeriodMs <= 0) problems.push('ingester.trace_idle_period: must be greater than 0');
  if (s.maxBlockDurationMs <= 0) problems.push('ingester.max_block_duration: must be greater than 0');
  if (s.maxBlockBytes <= 0) problems.push('ingester.max_block_bytes: must be greater than 0');
  if (s.blocklistPollMs <= 0) problems.push('storage.trace.blocklist_poll: must be greater than 0');
  if (s.completeBlockTimeoutMs < 2 * s.blocklistPollMs) {
    // Queriers see a block up to two polls after it is written (the builder's, then theirs).
    problems.push('ingester.complete_block_timeout: must be at least 2 × storage.trace.blocklist_poll');
  }
  if (s.ingest !== undefined) {
    if (s.ingest.sessionTimeoutMs <= 0) problems.push('ingest.kafka.session_timeout: must be greater than 0');
    if (!(s.ingest.heartbeatIntervalMs > 0 && s.ingest.heartbeatIntervalMs < s.ingest.sessionTimeoutMs)) {
      problems.push('ingest.kafka.heartbeat_interval: must be greater than 0 and less than session_timeout');
    }
  }
  problems.push(...compactorConfigProblems(c.compactor, c.overrides, 'compactor'));
  if (s.compactor.compactedBlockRetentionMs < 2 * s.blocklistPollMs) {
    // Queriers read compacted blocks for 2 × blocklist_poll after the mark: they must still exist.
    problems.push('compactor.compaction.compacted_block_retention: must be at least 2 × storage.trace.blocklist_poll');
  }
  if (s.store.backend === 'local' && overlaps(s.walPath, s.store.path)) {
    problems.push('storage.trace.wal.path: must not be inside storage.trace.local.path, nor contain it');
  }
  problems.push(...querierProblems(s.querier));
  problems.push(...queryFrontendProblems(s.queryFrontend));
  if (s.store.backend === 's3') problems.push(...s3Problems(c.storage.trace.s3).map((p) => `storage.trace.s3.${p}`));
  return problems;
}

function querierProblems(q: QuerierSettings): string[] {
  const problems: string[] = [];
  if (q.ingesterTimeoutMs <= 0) problems.push('querier.ingester_timeout: must be greater than 0');
  problems.push(...addressProblems('querier.ingester_addresses', q.ingesterAddresses));
  return problems;
}

function queryFrontendProblems(f: QueryFrontendSettings): string[] {
  const problems: string[] = [];
  if (f.querierTimeoutMs <= 0) problems.push('query_frontend.querier_timeout: must be greater than 0');
  if (f.search.targetBytesPerJob <= 0) problems.push('query_frontend.search.target_bytes_per_job: must be greater than 0');
  if (f.search.queryTimeoutMs <= 0) problems.push('query_frontend.search.query_timeout: must be greater than 0');
  if (f.search.maxResultLimit !== 0 && f.search.defaultResultLimit > f.search.maxResultLimit) {
    problems.push('query_frontend.search.default_result_limit: must not exceed max_result_limit');
  }
  problems.push(...addressProblems('query_frontend.querier_addresses', f.querierAddresses));
  f.querierAddresses.forEach((address, i) => {
    const first = f.querierAddresses.indexOf(address);
    // A duplicate would get twice the jobs and be retried on itself.
    if (first < i) problems.push(`query_frontend.querier_addresses: entry ${i}: "${address}" repeats entry ${first}`);
  });
  return problems;
}

/** `host:port` entries, no scheme or path. */
function addressProblems(key: string, addresses: readonly string[]): string[] {
  const problems: string[] = [];
  for (const [i, address] of addresses.entries()) {
    if (address.includes('/')) {
      problems.push(`${key}: entry ${i}: "${address}" must be host:port without a scheme or path`);
      continue;
    }
    let host = '';
    try {
      host = parseEndpoint(address).host;
    } catch (err) {
      problems.push(`${key}: entry ${i}: ${(err as Error).message} (write host:port)`);
      continue;
    }
    if (host === '') problems.push(`${key}: entry ${i}: "${address}" has no host (write host:port)`);
  }
  return problems;
}

function s3Options(s3: S3Config): S3ObjectStoreOptions {
  const credentials = s3.access_key === '' && s3.secret_key === '' ? undefined : {
    accessKeyId: s3.access_key,
    secretAccessKey: s3.secret_key,
    ...(s3.session_token === '' ? {} : { sessionToken: s3.session_token }),
  };
  return {
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    region: s3.region,
    credentials,
    insecure: s3.insecure,
    forcePathStyle: s3.forcepathstyle,
    prefix: s3.prefix,
    partSize: parseBytes(s3.part_size),
    retry: {
      maxAttempts: s3.retry_max_attempts,
      backoffInitialMs: parseDuration(s3.retry_backoff_initial),
      backoffMaxMs: parseDuration(s3.retry_backoff_max),
    },
  };
}

/** `key: message` for each problem of an s3 section used as the backend. */
function s3Problems(s3: S3Config): string[] {
  const problems: string[] = [];
  if (s3.bucket === '') problems.push('bucket: required when storage.trace.backend is s3');
  if (s3.endpoint === '') problems.push('endpoint: required when storage.trace.backend is s3 (e.g. s3.us-east-1.amazonaws.com or 127.0.0.1:9000)');
  else if (!/^[^\s/:]+(:\d{1,5})?$/.test(s3.endpoint) && !/^\[[0-9a-fA-F:.]+\](:\d{1,5})?$/.test(s3.endpoint)) {
    problems.push(`endpoint: must be host or host:port without a scheme or path (insecure: true selects http), got ${JSON.stringify(s3.endpoint)}`);
  }
  if ((s3.access_key === '') !== (s3.secret_key === '')) {
    problems.push('access_key: access_key and secret_key go together: set both, or neither to use the AWS SDK default credential chain');
  }
  if (s3.session_token !== '' && s3.access_key === '') problems.push('session_token: needs access_key and secret_key');
  const prefix = s3.prefix.replace(/^\/+|\/+$/g, '');
  try {
    if (prefix !== '') checkKey(prefix);
  } catch {
    problems.push(`prefix: ${JSON.stringify(s3.prefix)} must be key segments separated by "/", without empty, "." or ".." segments or backslashes`);
  }
  const partSize = parseBytes(s3.part_size);
  if (partSize !== 0 && partSize < MIN_S3_PART_SIZE) problems.push('part_size: must be 0 (no multipart uploads) or at least 5MiB');
  const initial = parseDuration(s3.retry_backoff_initial);
  if (initial <= 0) problems.push('retry_backoff_initial: must be greater than 0');
  if (parseDuration(s3.retry_backoff_max) < initial) problems.push('retry_backoff_max: must not be less than retry_backoff_initial');
  return problems;
}

function withDefaults(config: TracelakeExporterConfig): TracelakeExporterConfig {
  return deepMerge(createDefaultTracelakeExporterConfig(), config) as TracelakeExporterConfig;
}

/** Blocks are found by listing the blocks folder, so the WAL must live elsewhere. */
function overlaps(a: string, b: string): boolean {
  const ra = path.resolve(a) + path.sep;
  const rb = path.resolve(b) + path.sep;
  return ra.startsWith(rb) || rb.startsWith(ra);
}
