import kafkajs from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  assertBrokerReachable, createTopic, deleteTopic, kafkaBrokers, testKafka, uniqueTopicName,
} from '../kafka-broker.ts';
import { freePort, makeTempDir, removeDir, TracelakeProcess, type IngesterConfig } from '../tracelake-process.ts';
import { gatewayConfig, ingesterConfig, type Override } from './cluster-configs.ts';

const { AssignerProtocol } = kafkajs; // CommonJS: no named exports under Node's ESM

/**
 * The clustered example run for one test: a topic of its own (4 partitions) and group id, gateways
 * (gateway.yaml) and ingesters (backend.yaml --target ingester, blocks in a folder of their own) on free
 * ports and temp folders; close() kills them, removes their folders and deletes the topic.
 */

export const PARTITIONS = 4;

/**
 * Shorter than the example's 10s / 3s (the broker's minimum session is 6s): a killed ingester's
 * partitions are handed on sooner, and a member joining is noticed within a second.
 */
export const TEST_CONSUMER: readonly Override[] = [
  [['exporters', 'tracelake', 'ingest', 'kafka', 'session_timeout'], '6s'],
  [['exporters', 'tracelake', 'ingest', 'kafka', 'heartbeat_interval'], '1s'],
];

export interface GatewayOptions {
  /** Default: the test broker(s). */
  readonly brokers?: readonly string[];
  readonly overrides?: readonly Override[];
  readonly readyTimeoutMs?: number;
}

export interface IngesterOptions {
  readonly clientId?: string;
  readonly ingester?: IngesterConfig;
  readonly overrides?: readonly Override[];
}

export class Cluster {
  readonly topic: string;
  readonly groupId: string;
  readonly brokers = kafkaBrokers();
  readonly #procs = new Set<TracelakeProcess>();
  readonly #dirs = new Set<string>();

  private constructor(topic: string, groupId: string) {
    this.topic = topic;
    this.groupId = groupId;
  }

  /** Fails loudly when the broker is not there; creates the topic. */
  static async create(name: string): Promise<Cluster> {
    await assertBrokerReachable();
    return new Cluster(await createTopic(PARTITIONS, name), uniqueTopicName(`${name}-group`));
  }

  async startGateway(options: GatewayOptions = {}): Promise<TracelakeProcess> {
    const ports = { grpc: await freePort(), http: await freePort(), api: await freePort() };
    const dir = await this.#tempDir('tracelake-gateway-');
    const config = gatewayConfig({
      grpcPort: ports.grpc,
      httpPort: ports.http,
      metricsPort: ports.api,
      brokers: options.brokers ?? this.brokers,
      topic: this.topic,
      overrides: options.overrides,
    });
    const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
    return this.#track(await TracelakeProcess.startWithConfig({ config, dir, ports, readiness: 'otlp-http', readyTimeoutMs }));
  }

  async startIngester(options: IngesterOptions = {}): Promise<TracelakeProcess> {
    const ports = { grpc: 0, http: 0, api: await freePort() };
    const dir = await this.#tempDir('tracelake-ingester-');
    const config = ingesterConfig({
      apiPort: ports.api,
      dir,
      brokers: this.brokers,
      topic: this.topic,
      groupId: this.groupId,
      clientId: options.clientId,
      ingester: options.ingester,
      overrides: [...TEST_CONSUMER, ...(options.overrides ?? [])],
    });
    return this.#track(await TracelakeProcess.startWithConfig({ config, dir, ports, readiness: 'api', targets: 'ingester' }));
  }

  /** A process of backend.yaml running `target`, its config text given, ready once /ready answers. */
  async startBackend(target: string, config: string, apiPort: number): Promise<TracelakeProcess> {
    const dir = await this.#tempDir(`tracelake-${target}-`);
    return this.#track(await TracelakeProcess.startWithConfig({
      config, dir, ports: { grpc: 0, http: 0, api: apiPort }, readiness: 'api', targets: target, readyTimeoutMs: 60_000,
    }));
  }

  /** Same config, folder and ports. */
  async restart(proc: TracelakeProcess): Promise<TracelakeProcess> {
    return this.#track(await proc.restart());
  }

  /** Kills every process, removes their folders, deletes the topic. */
  async close(): Promise<void> {
    for (const proc of this.#procs) await proc.stop('SIGKILL');
    this.#procs.clear();
    for (const dir of this.#dirs) await removeDir(dir);
    this.#dirs.clear();
    await deleteTopic(this.topic);
  }

  /** Which member (by client id) owns which partitions of the topic, once the group is stable. */
  async assignment(): Promise<Map<string, number[]> | undefined> {
    const admin = testKafka('tracelake-test-groups').admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([this.groupId]);
      const group = groups[0];
      if (group === undefined || group.state !== 'Stable') return undefined;
      const owners = new Map<string, number[]>();
      for (const member of group.members) {
        const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
        const partitions = [...(decoded?.assignment[this.topic] ?? [])].sort((a, b) => a - b);
        owners.set(member.clientId, [...(owners.get(member.clientId) ?? []), ...partitions]);
      }
      return owners;
    } finally {
      await admin.disconnect();
    }
  }

  /** Waits until the group is stable with exactly `members` members that own every partition between them. */
  async waitForAssignment(members: number, timeoutMs = 30_000): Promise<Map<string, number[]>> {
    const deadline = Date.now() + timeoutMs;
    let last: Map<string, number[]> | undefined;
    for (;;) {
      last = await this.assignment();
      const owned = [...(last?.values() ?? [])].flat();
      if (last !== undefined && last.size === members && owned.length === PARTITIONS) return last;
      if (Date.now() > deadline) {
        throw new Error(`group ${this.groupId}: no stable assignment of ${PARTITIONS} partitions to ${members} members ` +
          `within ${timeoutMs} ms; last seen ${JSON.stringify(last === undefined ? 'not stable' : Object.fromEntries(last))}`);
      }
      await sleep(200);
    }
  }

  /**
   * Commits offset 0 for every partition on behalf of the group, as if nothing had ever been consumed.
   * Kafka allows it only while the group has no member: a killed member counts until its session expires.
   */
  async rewindGroup(timeoutMs = 30_000): Promise<void> {
    const admin = testKafka('tracelake-test-groups').admin();
    await admin.connect();
    try {
      const partitions = Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, offset: '0' }));
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          await admin.setOffsets({ groupId: this.groupId, topic: this.topic, partitions });
          return;
        } catch (err) {
          if (Date.now() > deadline) throw new Error(`group ${this.groupId} could not be rewound within ${timeoutMs} ms`, { cause: err });
        }
        await sleep(250);
      }
    } finally {
      await admin.disconnect();
    }
  }

  #track(proc: TracelakeProcess): TracelakeProcess {
    this.#procs.add(proc);
    void proc.exited.then(() => this.#procs.delete(proc));
    return proc;
  }

  async #tempDir(prefix: string): Promise<string> {
    const dir = await makeTempDir(prefix);
    this.#dirs.add(dir);
    return dir;
  }
}
