/**
 * The roles `--target` may name. The pipeline layer knows only which of them run the config's pipelines
 * (receivers → processors → exporters); what each role starts in the backend is exporters/tracelake/modules.ts.
 */
export const TARGETS = ['all', 'distributor', 'ingester', 'querier', 'query-frontend', 'compactor'] as const;

export type Target = (typeof TARGETS)[number];

/** Roles that take data in: a process running none of them starts no receivers and no pipelines. */
const PIPELINE_TARGETS: readonly Target[] = ['all', 'distributor', 'ingester'];
/** An ingester that consumes Kafka itself (the backend exporter's `ingest.enabled`) takes no data through pipelines. */
const KAFKA_INGEST_PIPELINE_TARGETS: readonly Target[] = ['all', 'distributor'];

/** Whether a process with these targets runs the config's pipelines; no targets given means `all`. */
export function runsPipelines(targets: readonly string[] | undefined, ingesterConsumesKafka = false): boolean {
  const feeding: readonly string[] = ingesterConsumesKafka ? KAFKA_INGEST_PIPELINE_TARGETS : PIPELINE_TARGETS;
  return targets === undefined || targets.some((t) => feeding.includes(t));
}

/** Whether a backend exporter's (raw) config turns on Kafka ingest: what runsPipelines needs to know of it. */
export function consumesKafka(backendExporterConfig: unknown): boolean {
  return (backendExporterConfig as { ingest?: { enabled?: unknown } } | undefined)?.ingest?.enabled === true;
}

/** The exporter type that is the entry to the backend roles: the only component a storage-only process builds. */
export const BACKEND_EXPORTER_TYPE = 'tracelake';
