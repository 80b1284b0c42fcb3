import assert from 'node:assert/strict';
import { join } from 'node:path';
import { blockMetas } from '../block-files.ts';
import { RoleProcess } from '../roles/role-process.ts';
import { roleConfig } from '../roles/role-config.ts';
import { makeTempDir, removeDir, type Ports } from '../tracelake-process.ts';
import { otlpJsonRequest, type CorpusSpan } from './search-corpus.ts';

/** Two queriers and a query-frontend sending them jobs, over blocks a writer left in a shared folder. */
export interface ShardedCluster {
  readonly dir: string;
  readonly blocksDir: string;
  readonly queriers: readonly RoleProcess[];
  readonly frontend: RoleProcess;
  /** Starts another process, killed by close() too. */
  start(config: { path: string; ports: Ports }, target: string): RoleProcess;
  /** Kills every process and removes the folder. */
  close(): Promise<void>;
}

/**
 * A writer (`--target all`) takes each round of traces and stops (SIGTERM: one block per round); then two
 * queriers and a query-frontend (`query_frontend.search` = `search`, querier_addresses = both queriers) start
 * over the same blocks folder and are ready.
 */
export async function shardedCluster(rounds: readonly (readonly CorpusSpan[][])[], search: Record<string, unknown>): Promise<ShardedCluster> {
  const dir = await makeTempDir();
  const blocksDir = join(dir, 'blocks');
  const roles: RoleProcess[] = [];
  const start = (config: { path: string; ports: Ports }, target: string): RoleProcess => roles[roles.push(new RoleProcess(config.path, target, config.ports)) - 1]!;
  const close = async (): Promise<void> => {
    for (const r of roles) await r.stop('SIGKILL');
    await removeDir(dir);
  };
  try {
    const writerConfig = await roleConfig(dir, 'writer', blocksDir);
    for (const traces of rounds) {
      const writer = start(writerConfig, 'all');
      await writer.waitReady();
      const res = await fetch(writer.otlpHttpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlpJsonRequest(traces.flat())) });
      assert.equal(res.status, 200, await res.text());
      assert.deepEqual(await writer.stop('SIGTERM'), { code: 0, signal: null });
    }
    assert.equal((await blockMetas(blocksDir)).length, rounds.length);
    const queriers = [
      start(await roleConfig(dir, 'querier-1', blocksDir), 'querier'),
      start(await roleConfig(dir, 'querier-2', blocksDir), 'querier'),
    ];
    const frontend = start(await roleConfig(dir, 'frontend', blocksDir, (doc) => {
      doc.setIn(['exporters', 'tracelake', 'query_frontend'], doc.createNode({
        querier_addresses: queriers.map((q) => `127.0.0.1:${q.ports.api}`), querier_timeout: '5s', search,
      }));
    }), 'query-frontend');
    for (const role of [...queriers, frontend]) await role.waitReady();
    return { dir, blocksDir, queriers, frontend, start, close };
  } catch (err) {
    await close();
    throw err;
  }
}
