import {
  compactorConfigSchema, compactorOverridesSchema, createDefaultCompactorConfig, type CompactorConfig,
  type CompactorOverrides,
} from '../../backend/compactor/config.ts';
import { bytesSchema, durationSchema } from '../../pipeline/config/units.ts';
import { sectionSchema } from '../../pipeline/config/section-schema.ts';
import { KAFKA_ENCODINGS, type KafkaEncoding } from '../../pipeline/kafka/encoding.ts';

/** As written in YAML: `"5s"`, `"5m"`, or 0; read with parseDuration (pipeline/config/units.ts). */
type Duration = string | number;
/** As written in YAML: `"100MiB"` or a number of bytes; read with parseBytes. */
type Bytes = string | number;

/** Keys and layout mirror Grafana Tempo's, so a Tempo user recognises them. */
export interface TracelakeExporterConfig {
  server: {
    /** '' or 0.0.0.0 = every interface. */
    http_listen_address: string;
    http_listen_port: number;
  };
  /** When on, X-Scope-OrgID selects the tenant on ingest and query; otherwise everything is `single-tenant`. */
  multitenancy_enabled: boolean;
  ingester: {
    /** A trace with no new span for this long is cut from live data into the next block. */
    trace_idle_period: Duration;
    /** A block is flushed at the latest this long after its first trace. */
    max_block_duration: Duration;
    /** A block is flushed once its data reaches this size. */
    max_block_bytes: Bytes;
    /** How long an ingester fed by Kafka keeps answering for the blocks it flushed (queriers may not have polled them yet). */
    complete_block_timeout: Duration;
  };
  /**
   * Tempo's ingest storage: with `enabled`, the ingester consumes the distributors' Kafka topic itself and
   * commits a partition's offsets only once their blocks are written, instead of taking data from this
   * process's pipelines (run it as `--target ingester`, not `all`).
   */
  ingest: {
    enabled: boolean;
    kafka: {
      brokers: string[];
      topic: string;
      /** Every ingester of the cluster joins this group: Kafka splits the partitions between them. */
      consumer_group: string;
      client_id: string;
      encoding: KafkaEncoding;
      initial_offset: 'earliest' | 'latest';
      session_timeout: Duration;
      heartbeat_interval: Duration;
      /** Longest a fetch waits for new records: bounds how soon a span is queryable. */
      max_fetch_wait: Duration;
    };
  };
  storage: {
    trace: {
      /** Where blocks live: a local folder, or an S3 bucket (AWS or S3-compatible). The WAL is always local. */
      backend: 'local' | 's3';
      local: { path: string };
      s3: S3Config;
      wal: { path: string };
      /** How often the list of blocks is rebuilt from the bucket (and each tenant's index.json.gz written). */
      blocklist_poll: Duration;
      /**
       * Tempo's default is 0.01; ours 0.001: each false positive costs a lookup one page read, so over 3000
       * blocks in S3 a lookup reads ~3 pages instead of ~30 (p50 ~9 ms instead of ~35 ms,
       * bench/s3-trace-by-id.bench.ts) for 0.6 more bytes per trace.
       */
      block: { bloom_filter_false_positive: number };
    };
  };
  /** Where a querier finds live (not yet flushed) traces besides the blocks. */
  querier: {
    /** `host:port` of each ingester's Tempo API; empty = none (the blocks only, plus this process's own ingester). */
    ingester_addresses: string[];
    /** Per ingester request; a slower ingester makes the answer PARTIAL. */
    ingester_timeout: Duration;
    search: {
      /**
       * Threads that run search jobs over blocks: `auto` = one per core (os.availableParallelism()), so a
       * search uses every core while the event loop keeps ingesting; 0 = on the event loop.
       */
      workers: number | 'auto';
    };
  };
  /** A query-frontend's split of trace-by-ID lookups into jobs for the queriers, Tempo's `query_frontend:`. */
  query_frontend: {
    /** `host:port` of each querier's Tempo API; empty = this query-frontend queries by itself, as a querier. */
    querier_addresses: string[];
    /** Ranges the block ID space is cut into, one job each, plus one job for the ingesters' live traces. */
    query_shards: number;
    /** Jobs in flight at once, over every request. */
    max_concurrent_jobs: number;
    /** Per job attempt; a job that fails or times out is tried on another querier. */
    querier_timeout: Duration;
    /**
     * How /api/search is split into jobs and bounded, Tempo's `query_frontend.search:` keys. They apply to
     * whoever answers /api/search: a query-frontend, or a querier (embedded) searching by itself.
     */
    search: {
      /** Jobs of one search in flight at once. */
      concurrent_jobs: number;
      /** Blocks are grouped into jobs of about this size (a larger block is a job by itself). */
      target_bytes_per_job: Bytes;
      /** `limit` when a request gives none. */
      default_result_limit: number;
      /** A larger `limit` is refused (400); 0 = no maximum. */
      max_result_limit: number;
      /** A longer start–end range is refused (400); 0 = no maximum. */
      max_duration: Duration;
      /** A search still running after this is answered 504. */
      query_timeout: Duration;
    };
  };
  /** Merging, retention and clean-up of blocks, Tempo's `compactor:` section. */
  compactor: CompactorConfig;
  /** Per-tenant limits, Tempo's flat overrides: `<tenant>: { block_retention: 24h }`. */
  overrides: CompactorOverrides;
}

/** Tempo's storage.trace.s3 keys (those Tracelake implements); read by settings.ts into S3ObjectStoreOptions. */
export interface S3Config {
  /** Required with backend s3. */
  bucket: string;
  /** `host` or `host:port`, no scheme (Tempo's form); required with backend s3. */
  endpoint: string;
  /** '' = read from an AWS endpoint (s3.<region>.amazonaws.com), else us-east-1. */
  region: string;
  /** Both or neither; neither = the AWS SDK's default chain (AWS_* environment, profile, instance role). */
  access_key: string;
  secret_key: string;
  /** Only with access_key and secret_key (temporary credentials). */
  session_token: string;
  /** http instead of https. */
  insecure: boolean;
  /** Path-style requests always; when false, path-style anyway for every endpoint but AWS's own (as minio-go, Tempo's client, does). */
  forcepathstyle: boolean;
  /** Every object under `<prefix>/`; '' = bucket root. */
  prefix: string;
  /** Objects larger than this are uploaded in parts of this size; 0 = never (single PUT). At least 5MiB otherwise. */
  part_size: Bytes;
  /** Attempts per request (1 = no retries) on 5xx, throttling, timeouts and dropped connections. */
  retry_max_attempts: number;
  /** Backoff ceiling of the first retry, doubling up to retry_backoff_max; each wait is random below it (full jitter). */
  retry_backoff_initial: Duration;
  retry_backoff_max: Duration;
}

const pathSchema = { type: 'string', minLength: 1 };

export const tracelakeExporterConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    server: sectionSchema({
      http_listen_address: { type: 'string' },
      http_listen_port: { type: 'integer', minimum: 0, maximum: 65535 },
    }),
    multitenancy_enabled: { type: 'boolean' },
    ingester: sectionSchema({
      trace_idle_period: durationSchema,
      max_block_duration: durationSchema,
      max_block_bytes: bytesSchema,
      complete_block_timeout: durationSchema,
    }),
    ingest: sectionSchema({
      enabled: { type: 'boolean' },
      kafka: sectionSchema({
        brokers: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        topic: { type: 'string', minLength: 1 },
        consumer_group: { type: 'string', minLength: 1 },
        client_id: { type: 'string', minLength: 1 },
        encoding: { type: 'string', enum: [...KAFKA_ENCODINGS] },
        initial_offset: { type: 'string', enum: ['earliest', 'latest'] },
        session_timeout: durationSchema,
        heartbeat_interval: durationSchema,
        max_fetch_wait: durationSchema,
      }),
    }),
    storage: sectionSchema({
      trace: sectionSchema({
        backend: { type: 'string', enum: ['local', 's3'] },
        local: sectionSchema({ path: pathSchema }),
        s3: sectionSchema({
          bucket: { type: 'string' },
          endpoint: { type: 'string' },
          region: { type: 'string' },
          access_key: { type: 'string' },
          secret_key: { type: 'string' },
          session_token: { type: 'string' },
          insecure: { type: 'boolean' },
          forcepathstyle: { type: 'boolean' },
          prefix: { type: 'string' },
          part_size: bytesSchema,
          retry_max_attempts: { type: 'integer', minimum: 1, maximum: 100 },
          retry_backoff_initial: durationSchema,
          retry_backoff_max: durationSchema,
        }),
        wal: sectionSchema({ path: pathSchema }),
        blocklist_poll: durationSchema,
        block: sectionSchema({ bloom_filter_false_positive: { type: 'number' } }),
      }),
    }),
    querier: sectionSchema({
      ingester_addresses: { type: 'array', nullable: true, items: { type: 'string' } },
      ingester_timeout: durationSchema,
      search: sectionSchema({
        workers: { anyOf: [{ type: 'integer', minimum: 0, maximum: 256 }, { type: 'string', enum: ['auto'] }] },
      }),
    }),
    query_frontend: sectionSchema({
      querier_addresses: { type: 'array', nullable: true, items: { type: 'string' } },
      query_shards: { type: 'integer', minimum: 1, maximum: 1000 },
      max_concurrent_jobs: { type: 'integer', minimum: 1, maximum: 10000 },
      querier_timeout: durationSchema,
      search: sectionSchema({
        concurrent_jobs: { type: 'integer', minimum: 1, maximum: 10000 },
        target_bytes_per_job: bytesSchema,
        default_result_limit: { type: 'integer', minimum: 1 },
        max_result_limit: { type: 'integer', minimum: 0 },
        max_duration: durationSchema,
        query_timeout: durationSchema,
      }),
    }),
    compactor: compactorConfigSchema,
    overrides: compactorOverridesSchema,
  },
};

export function createDefaultTracelakeExporterConfig(): TracelakeExporterConfig {
  return {
    server: { http_listen_address: '0.0.0.0', http_listen_port: 3200 },
    multitenancy_enabled: false,
    ingester: { trace_idle_period: '5s', max_block_duration: '5m', max_block_bytes: '64MiB', complete_block_timeout: '15m' },
    ingest: {
      enabled: false,
      kafka: {
        brokers: ['127.0.0.1:9092'], topic: 'otlp_spans', consumer_group: 'tracelake-ingester', client_id: 'tracelake-ingester',
        encoding: 'otlp_proto', initial_offset: 'earliest', session_timeout: '10s', heartbeat_interval: '3s', max_fetch_wait: '250ms',
      },
    },
    storage: {
      trace: {
        backend: 'local',
        local: { path: './data/blocks' },
        s3: {
          bucket: '', endpoint: '', region: '', access_key: '', secret_key: '', session_token: '',
          insecure: false, forcepathstyle: false, prefix: '', part_size: '16MiB',
          retry_max_attempts: 5, retry_backoff_initial: '200ms', retry_backoff_max: '1s',
        },
        wal: { path: './data/wal' },
        blocklist_poll: '30s',
        block: { bloom_filter_false_positive: 0.001 },
      },
    },
    querier: { ingester_addresses: [], ingester_timeout: '2s', search: { workers: 'auto' } },
    query_frontend: {
      querier_addresses: [], query_shards: 8, max_concurrent_jobs: 16, querier_timeout: '10s',
      search: {
        concurrent_jobs: 16, target_bytes_per_job: '100MiB', default_result_limit: 20, max_result_limit: 0,
        max_duration: '168h', query_timeout: '30s',
      },
    },
    compactor: createDefaultCompactorConfig(),
    overrides: {},
  };
}
