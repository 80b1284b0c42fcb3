/**
 * The roles `--target` may name. The pipeline layer knows only which of them run the config's pipelines
 * (receivers → processors → exporters); what each role starts in the backend is exporters/tracelake/modules.ts.
 */
export const TARGETS = ['all', 'distributor', 'ingester', 'querier', 'query-frontend', 'compactor'] as const;

export type Target = (typeof TARGETS)[number];

/** Roles that take data in: a process running none of them starts no receivers and no pipelines. */
const PIPELINE_TARGETS: readonly Target[] = ['all', 'distributor', 'ingester'];

/** Whether a process with these targets runs the config's pipelines; no targets given means `all`. */
export function runsPipelines(targets: readonly string[] | undefined): boolean {
  return targets === undefined || targets.some((t) => (PIPELINE_TARGETS as readonly string[]).includes(t));
}

/** The exporter type that is the entry to the backend roles: the only component a storage-only process builds. */
export const BACKEND_EXPORTER_TYPE = 'tracelake';
