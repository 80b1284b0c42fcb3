import { bytesSchema, durationSchema } from '../../pipeline/config/units.ts';

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
  };
  storage: {
    trace: {
      /** Only `local` for now; `s3` arrives later. */
      backend: 'local';
      local: { path: string };
      wal: { path: string };
      block: { bloom_filter_false_positive: number };
    };
  };
}

/** An object schema whose section may also be written empty (`server:`), which means "the defaults". */
function section(properties: Record<string, object>): object {
  return { type: 'object', nullable: true, additionalProperties: false, properties };
}

const pathSchema = { type: 'string', minLength: 1 };

export const tracelakeExporterConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    server: section({
      http_listen_address: { type: 'string' },
      http_listen_port: { type: 'integer', minimum: 0, maximum: 65535 },
    }),
    multitenancy_enabled: { type: 'boolean' },
    ingester: section({
      trace_idle_period: durationSchema,
      max_block_duration: durationSchema,
      max_block_bytes: bytesSchema,
    }),
    storage: section({
      trace: section({
        backend: { type: 'string', enum: ['local'] },
        local: section({ path: pathSchema }),
        wal: section({ path: pathSchema }),
        block: section({ bloom_filter_false_positive: { type: 'number' } }),
      }),
    }),
  },
};

export function createDefaultTracelakeExporterConfig(): TracelakeExporterConfig {
  return {
    server: { http_listen_address: '0.0.0.0', http_listen_port: 3200 },
    multitenancy_enabled: false,
    ingester: { trace_idle_period: '5s', max_block_duration: '5m', max_block_bytes: '100MiB' },
    storage: {
      trace: {
        backend: 'local',
        local: { path: './data/blocks' },
        wal: { path: './data/wal' },
        block: { bloom_filter_false_positive: 0.01 },
      },
    },
  };
}
