/** A real `tracelake --target querier` over the bench's blocks, searched through /api/search. */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDocument } from 'yaml';
import { S3_SECRET_ENV, storageConfig } from '../test/integration/storage/storage-config.ts';
import { embeddedConfig, freePorts, makeTempDir, removeDir, TracelakeProcess } from '../test/integration/tracelake-process.ts';
import { cpuSeconds } from './process-stats.ts';

/** Where the blocks are: a local folder (a LocalObjectStore root) or a prefix in the test S3 server. */
export type ScaleStorage = { readonly kind: 'local'; readonly blocksDir: string } | { readonly kind: 's3'; readonly prefix: string };

export interface HttpSearchRun {
  readonly traces: number;
  readonly wallSeconds: number;
  /** The server's CPU (all its threads) during the request. */
  readonly serverCpuSeconds: number;
  readonly inspectedBytes: number;
}

/** A querier process (no ingester, no compactor: the cached blocks are never rewritten or expired). */
export class ScaleQuerier {
  readonly #proc: TracelakeProcess;
  readonly #dir: string;

  private constructor(proc: TracelakeProcess, dir: string) {
    this.#proc = proc;
    this.#dir = dir;
  }

  static async start(storage: ScaleStorage, probe: { q: string; start: number; end: number }): Promise<ScaleQuerier> {
    const dir = await makeTempDir('tracelake-search-scale-');
    const ports = await freePorts();
    const doc = parseDocument(storage.kind === 's3' ? storageConfig({ ports, dir, backend: storage, blocklistPoll: '5s' }) : embeddedConfig(ports, dir));
    if (storage.kind === 'local') doc.setIn(['exporters', 'tracelake', 'storage', 'trace', 'local', 'path'], path.resolve(storage.blocksDir));
    // Full scans of 10M spans are what is measured: the default 30 s timeout must not cut them.
    doc.setIn(['exporters', 'tracelake', 'query_frontend', 'search', 'query_timeout'], '10m');
    const config = doc.toString();
    const proc = await TracelakeProcess.startWithConfig({ config, dir, ports, env: S3_SECRET_ENV, targets: 'querier', readyTimeoutMs: 120_000 });
    const querier = new ScaleQuerier(proc, dir);
    // Ready before the first blocklist poll is possible: wait until the blocks are searchable.
    for (let i = 0; ; i++) {
      const run = await querier.search({ ...probe, limit: 1 }).catch(() => undefined);
      if (run !== undefined && run.traces > 0) break;
      if (i === 600) throw new Error(`the querier found no trace for ${probe.q} within 60 s; output:\n${proc.output}`);
      await sleep(100);
    }
    return querier;
  }

  get pid(): number {
    return this.#proc.pid;
  }

  async search(s: { q: string; start: number; end: number; limit: number }): Promise<HttpSearchRun> {
    const params = new URLSearchParams({ q: s.q, start: String(s.start), end: String(s.end), limit: String(s.limit), spss: '3' });
    const cpu0 = await cpuSeconds(this.#proc.pid);
    const t0 = performance.now();
    const res = await fetch(this.#proc.apiUrl(`/api/search?${params}`));
    const text = await res.text();
    const wallSeconds = (performance.now() - t0) / 1000;
    const serverCpuSeconds = (await cpuSeconds(this.#proc.pid)) - cpu0;
    if (res.status !== 200) throw new Error(`/api/search ${s.q}: ${res.status} ${text}`);
    const body = JSON.parse(text) as { traces?: unknown[]; metrics?: { inspectedBytes?: string } };
    return { traces: body.traces?.length ?? 0, wallSeconds, serverCpuSeconds, inspectedBytes: Number(body.metrics?.inspectedBytes ?? 0) };
  }

  async stop(): Promise<void> {
    await this.#proc.stop('SIGKILL');
    await removeDir(this.#dir);
  }
}
