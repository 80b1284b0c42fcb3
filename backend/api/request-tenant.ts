import type { IncomingHttpHeaders } from 'node:http';
import { BadRequestError, UnauthorizedError } from '../../pipeline/errors.ts';
import { resolveTenant } from '../../pipeline/tenant-id.ts';

/** Reads the tenant of an API request from X-Scope-OrgID; throws UnauthorizedError (401) or BadRequestError (400). */
export type TenantOf = (headers: IncomingHttpHeaders) => string;

export function requestTenant(multitenancy: boolean): TenantOf {
  return (headers) => {
    const raw = headers['x-scope-orgid'];
    const resolved = resolveTenant(Array.isArray(raw) ? raw.join(',') : raw, multitenancy);
    if (resolved.ok) return resolved.tenant;
    throw resolved.missing ? new UnauthorizedError(resolved.message) : new BadRequestError(resolved.message);
  };
}
