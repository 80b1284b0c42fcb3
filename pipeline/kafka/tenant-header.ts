import type { IHeaders } from 'kafkajs';

/** The Kafka record header carrying the tenant (X-Scope-OrgID) of the request the record came from, when it had one. */
export const TENANT_HEADER = 'X-Scope-OrgID';

const TENANT_HEADER_LOWER = TENANT_HEADER.toLowerCase();

/**
 * The tenant the producer attached (Tracelake's kafka exporter, or the Collector's with
 * `include_metadata_keys: [X-Scope-OrgID]`). Header names are matched ignoring case, as metadata keys are.
 */
export function tenantOf(headers: IHeaders | undefined): string | undefined {
  if (headers === undefined) return undefined;
  for (const [name, raw] of Object.entries(headers)) {
    if (name.toLowerCase() !== TENANT_HEADER_LOWER || raw === undefined) continue;
    const first = Array.isArray(raw) ? raw[0] : raw;
    const tenant = first === undefined ? '' : first.toString();
    if (tenant !== '') return tenant;
  }
  return undefined;
}
