import { removeS3Prefix, requireS3Server, uniqueS3Prefix } from '../../backend/storage/s3-test-server.ts';
import { freePort, type TracelakeProcess } from '../tracelake-process.ts';
import { Cluster, TEST_CONSUMER } from './cluster.ts';
import { backendConfig, type Override } from './cluster-configs.ts';

/**
 * examples/cluster as run.sh starts it, for one test: a gateway (gateway.yaml) and, from backend.yaml, two
 * ingesters, a querier, a query-frontend and a compactor, over the test broker (a topic and group of their
 * own) and the test S3 server (a key prefix of its own). Timings are shortened so blocks, polls and
 * compactions happen within seconds.
 */
export class ScaleOut {
  readonly cluster: Cluster;
  readonly prefix: string;
  readonly gateway: TracelakeProcess;
  readonly ingesters: TracelakeProcess[];
  readonly querier: TracelakeProcess;
  readonly frontend: TracelakeProcess;
  readonly compactor: TracelakeProcess;

  private constructor(cluster: Cluster, prefix: string, procs: Omit<ScaleOut, 'cluster' | 'prefix' | 'close' | 'restartIngester'>) {
    this.cluster = cluster;
    this.prefix = prefix;
    this.gateway = procs.gateway;
    this.ingesters = procs.ingesters;
    this.querier = procs.querier;
    this.frontend = procs.frontend;
    this.compactor = procs.compactor;
  }

  /** `overrides` apply to backend.yaml (every backend role); `multitenancy` to the gateway and the backend. */
  static async start(name: string, options: { multitenancy: boolean; overrides?: readonly Override[] }): Promise<ScaleOut> {
    await requireS3Server();
    const cluster = await Cluster.create(name);
    const prefix = uniqueS3Prefix(name);
    try {
      const port = { ingesters: [await freePort(), await freePort()], querier: await freePort(), frontend: await freePort(), compactor: await freePort() };
      const config = (apiPort: number, clientId: string): string => backendConfig({
        apiPort, clientId, brokers: cluster.brokers, topic: cluster.topic, groupId: cluster.groupId, s3Prefix: prefix,
        ingesters: port.ingesters.map((p) => `127.0.0.1:${p}`), queriers: [`127.0.0.1:${port.querier}`],
        overrides: [
          ...TEST_CONSUMER, ...FAST,
          [['exporters', 'tracelake', 'multitenancy_enabled'], options.multitenancy],
          ...(options.overrides ?? []),
        ],
      });
      const start = (target: string, apiPort: number, clientId = target) => cluster.startBackend(target, config(apiPort, clientId), apiPort);
      const [gateway, ingesters, querier, frontend, compactor] = await Promise.all([
        cluster.startGateway({ overrides: [[['exporters', 'kafka', 'multitenancy_enabled'], options.multitenancy]] }),
        Promise.all(port.ingesters.map((p, i) => start('ingester', p, `ingester-${i + 1}`))),
        start('querier', port.querier),
        start('query-frontend', port.frontend),
        start('compactor', port.compactor),
      ]);
      return new ScaleOut(cluster, prefix, { gateway, ingesters, querier, frontend, compactor });
    } catch (err) {
      await cluster.close();
      await removeS3Prefix(prefix);
      throw err;
    }
  }

  /** Starts ingester `i` again (same config, folder and port) after it died. */
  async restartIngester(i: number): Promise<TracelakeProcess> {
    this.ingesters[i] = await this.cluster.restart(this.ingesters[i]!);
    return this.ingesters[i]!;
  }

  /** Kills every process, deletes the topic and every object under the prefix. */
  async close(): Promise<void> {
    await this.cluster.close();
    await removeS3Prefix(this.prefix);
  }
}

/** Ranges written every 2 s, polls every second, compaction cycles every 2 s. */
const FAST: readonly Override[] = [
  [['exporters', 'tracelake', 'ingester', 'max_block_duration'], '2s'],
  [['exporters', 'tracelake', 'ingester', 'max_block_bytes'], '64KiB'],
  [['exporters', 'tracelake', 'ingester', 'complete_block_timeout'], '1m'],
  [['exporters', 'tracelake', 'storage', 'trace', 'blocklist_poll'], '1s'],
  [['exporters', 'tracelake', 'compactor', 'compaction', 'compaction_cycle'], '2s'],
  [['exporters', 'tracelake', 'compactor', 'compaction', 'compacted_block_retention'], '3s'],
];
