/** Tenant used for everything when multitenancy is off, as in Tempo. */
export const SINGLE_TENANT = 'single-tenant';

/** Tempo's limit (dskit tenant.MaxTenantIDLength), in bytes. */
const MAX_TENANT_ID_BYTES = 150;
const VALID_CHAR = /^[a-zA-Z0-9!\-_.*'()]$/;

/**
 * Why `id` is not a valid tenant ID, or undefined when it is. Same rules and messages as Tempo (dskit
 * `tenant.ValidTenantID`): at most 150 bytes of [a-zA-Z0-9!-_.*'()], and not `.` or `..` (it becomes a
 * storage path segment).
 */
export function tenantIdProblem(id: string): string | undefined {
  for (const ch of id) {
    if (!VALID_CHAR.test(ch)) return `tenant ID '${id}' contains unsupported character '${ch}'`;
  }
  if (id.length > MAX_TENANT_ID_BYTES) return `tenant ID is too long: max ${MAX_TENANT_ID_BYTES} characters`;
  if (id === '.' || id === '..') return "tenant ID is '.' or '..'";
  return undefined;
}

export type TenantResolution =
  | { readonly ok: true; readonly tenant: string }
  | { readonly ok: false; readonly missing: boolean; readonly message: string };

/**
 * The tenant of a request from its X-Scope-OrgID value: `single-tenant` when multitenancy is off (the value
 * is ignored), otherwise the value itself, which must be present and valid. Callers map a failure to their
 * own error (missing → 401, invalid → 400).
 */
export function resolveTenant(orgId: string | undefined, multitenancy: boolean): TenantResolution {
  if (!multitenancy) return { ok: true, tenant: SINGLE_TENANT };
  if (orgId === undefined || orgId === '') return { ok: false, missing: true, message: 'no org id' };
  const problem = tenantIdProblem(orgId);
  return problem === undefined ? { ok: true, tenant: orgId } : { ok: false, missing: false, message: problem };
}
