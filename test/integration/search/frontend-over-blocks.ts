import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RoleProcess } from '../roles/role-process.ts';
import { makeTempDir, removeDir } from '../tracelake-process.ts';
import { roleConfig, type ConfigPatch } from '../roles/role-config.ts';
import { otlpJsonRequest, type CorpusSpan } from './search-corpus.ts';

/** A query-frontend forwarding to one querier, over blocks a writer left in a shared folder. */
export interface FrontendOverBlocks {
  readonly frontend: RoleProcess;
  /** Kills every process and removes the folder. */
  close(): Promise<void>;
}

/**
 * A writer (`--target all`, multitenancy on) takes `spans` as `tenant` over OTLP/HTTP JSON and stops (SIGTERM:
 * its blocks are written); then a querier and a query-frontend (query_frontend.querier_addresses = that
 * querier) start over the same blocks folder.
 */
export async function frontendOverBlocks(spans: readonly CorpusSpan[], tenant: string): Promise<FrontendOverBlocks> {
  const dir = await makeTempDir();
  const roles: RoleProcess[] = [];
  const close = async (): Promise<void> => {
    for (const r of roles) await r.stop('SIGKILL');
    await removeDir(dir);
  };
  try {
    const blocksDir = join(dir, 'blocks');
    const start = async (name: string, target: string, patch?: ConfigPatch): Promise<RoleProcess> => {
      const { path, ports } = await roleConfig(dir, name, blocksDir, (doc) => {
        doc.setIn(['exporters', 'tracelake', 'multitenancy_enabled'], true);
        patch?.(doc);
      });
      const role = new RoleProcess(path, target, ports);
      roles.push(role);
      return role;
    };
    const writer = await start('writer', 'all');
    await writer.waitReady();
    const res = await fetch(writer.otlpHttpUrl, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-scope-orgid': tenant }, body: JSON.stringify(otlpJsonRequest(spans)),
    });
    assert.equal(res.status, 200, await res.text());
    assert.deepEqual(await writer.stop('SIGTERM'), { code: 0, signal: null });
    const querier = await start('querier', 'querier');
    const frontend = await start('frontend', 'query-frontend', (doc) => {
      doc.setIn(['exporters', 'tracelake', 'query_frontend'],
        doc.createNode({ querier_addresses: [`127.0.0.1:${querier.ports.api}`], querier_timeout: '5s' }));
    });
    await querier.waitReady();
    await frontend.waitReady();
    return { frontend, close };
  } catch (err) {
    await close();
    throw err;
  }
}
