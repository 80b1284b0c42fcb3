import assert from 'node:assert/strict';
import { resolveTenant, SINGLE_TENANT, tenantIdProblem } from '../../pipeline/tenant-id.ts';

describe('tenantIdProblem', () => {
  for (const id of ['team-a', 'A_b.c', "x!*'()", '1', 'a'.repeat(150)]) {
    it(`accepts ${JSON.stringify(id.length > 20 ? `${id.slice(0, 5)}…(${id.length})` : id)}`, () => {
      assert.equal(tenantIdProblem(id), undefined);
    });
  }

  const invalid: [string, string][] = [
    ['a|b', "tenant ID 'a|b' contains unsupported character '|'"],
    ['a/b', "tenant ID 'a/b' contains unsupported character '/'"],
    ['with space', "tenant ID 'with space' contains unsupported character ' '"],
    ['é', "tenant ID 'é' contains unsupported character 'é'"],
    ['a'.repeat(151), 'tenant ID is too long: max 150 characters'],
    ['.', "tenant ID is '.' or '..'"],
    ['..', "tenant ID is '.' or '..'"],
  ];
  for (const [id, message] of invalid) {
    it(`rejects ${JSON.stringify(id.length > 20 ? `${id.slice(0, 5)}…(${id.length})` : id)}`, () => {
      assert.equal(tenantIdProblem(id), message);
    });
  }
});

describe('resolveTenant', () => {
  it('uses single-tenant and ignores the header when multitenancy is off', () => {
    assert.deepEqual(resolveTenant('a|b', false), { ok: true, tenant: SINGLE_TENANT });
    assert.deepEqual(resolveTenant(undefined, false), { ok: true, tenant: 'single-tenant' });
  });

  it('reports a missing or empty org ID as missing when multitenancy is on', () => {
    assert.deepEqual(resolveTenant(undefined, true), { ok: false, missing: true, message: 'no org id' });
    assert.deepEqual(resolveTenant('', true), { ok: false, missing: true, message: 'no org id' });
  });

  it('returns the org ID when it is valid, and the problem when it is not', () => {
    assert.deepEqual(resolveTenant('team-a', true), { ok: true, tenant: 'team-a' });
    assert.deepEqual(resolveTenant('..', true), { ok: false, missing: false, message: "tenant ID is '.' or '..'" });
  });
});
