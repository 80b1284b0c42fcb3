import assert from 'node:assert/strict';
import kafkajs, { type Message } from 'kafkajs';
import snappy from 'snappyjs';
import type { Component, TracesConsumer } from '../../../pipeline/component.ts';
import { RetryableError } from '../../../pipeline/errors.ts';
import type { KafkaCodec } from '../../../pipeline/kafka/compression-codecs.ts';
import { TENANT_HEADER } from '../../../pipeline/kafka/tenant-header.ts';
import { MemoryLimiterProcessor } from '../../../processors/memory-limiter/memory-limiter-processor.ts';
import { kafkaReceiverFactory } from '../../../receivers/kafka/factory.ts';
import {
  assertBrokerReachable, createTopic, deleteTopic, kafkaBrokers, testKafka, uniqueTopicName,
} from '../../integration/kafka-broker.ts';
import { Downstream, metricValue, testSettings, traceRequestJson, traceRequestProto, until } from './trace-records.ts';

const { CompressionCodecs, CompressionTypes, AssignerProtocol } = kafkajs; // CommonJS: no named exports under Node's ESM

describe('kafka receiver against a real broker', function () {
  this.timeout(60_000);
  const topics: string[] = [];
  const running: Component[] = [];

  before(() => assertBrokerReachable());

  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.shutdown()));
    await Promise.all(topics.splice(0).map((t) => deleteTopic(t)));
  });

  async function topic(partitions: number): Promise<string> {
    const name = await createTopic(partitions, 'receiver');
    topics.push(name);
    return name;
  }

  /** A started receiver reading `name` from the beginning in group `group`, handing records to `next`. */
  async function receiver(name: string, group: string, next: TracesConsumer, user: object = {}) {
    const settings = testSettings('kafka/it');
    const config = kafkaReceiverFactory.mergeConfig(kafkaReceiverFactory.createDefaultConfig(), {
      brokers: kafkaBrokers(), group_id: group, client_id: 'tracelake-receiver-test', traces: { topics: [name] },
      initial_offset: 'earliest', session_timeout: '6s', heartbeat_interval: '500ms', max_fetch_wait: '100ms',
      error_backoff: { initial_interval: '20ms', max_interval: '200ms' }, ...user,
    });
    assert.deepEqual(kafkaReceiverFactory.validate(config), []);
    const component = kafkaReceiverFactory.createTraces(settings, config, next);
    running.push(component);
    await component.start({ signal: new AbortController().signal });
    return { component, settings };
  }

  async function produce(name: string, messages: Message[], compression = CompressionTypes.None): Promise<void> {
    const producer = testKafka('tracelake-receiver-test-producer').producer();
    await producer.connect();
    try {
      await producer.send({ topic: name, messages, compression });
    } finally {
      await producer.disconnect();
    }
  }

  /** Committed offset of each partition of `name` for `group` (-1 when none). */
  async function committed(name: string, group: string): Promise<number[]> {
    const admin = testKafka('tracelake-receiver-test-admin').admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [name] });
      return offsets!.partitions.sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
    } finally {
      await admin.disconnect();
    }
  }

  /** Records committed over all partitions (a partition without a committed offset counts 0). */
  async function committedTotal(name: string, group: string): Promise<number> {
    return (await committed(name, group)).reduce((sum, offset) => sum + Math.max(0, offset), 0);
  }

  const traceKey = () => uniqueTopicName('trace').slice(-16).padStart(32, '0');
  const protoRecords = (names: string[]) => names.map((n) => ({ key: traceKey(), value: traceRequestProto([n]) }));

  it('hands OTLP protobuf records on with their spans and tenant, gzip-, zstd-, snappy- and lz4-compressed', async () => {
    const name = await topic(2);
    const group = uniqueTopicName('group');
    const downstream = new Downstream();
    await receiver(name, group, downstream);
    await produce(name, [
      { key: traceKey(), value: traceRequestProto(['p1', 'p2']), headers: { [TENANT_HEADER]: 'acme' } },
      { key: traceKey(), value: traceRequestProto(['p3']) },
    ], CompressionTypes.GZIP);
    await produce(name, [{ key: traceKey(), value: traceRequestProto(['p4']), headers: { [TENANT_HEADER]: 'beta' } }],
      CompressionTypes.ZSTD);
    await produce(name, [{ key: traceKey(), value: traceRequestProto(['p5']) }], CompressionTypes.Snappy);
    await produce(name, [{ key: traceKey(), value: traceRequestProto(['p6']) }], CompressionTypes.LZ4);
    await until(() => downstream.accepted.length === 5, 'five records');
    const byFirstSpan = Object.fromEntries(downstream.accepted.map((c) => [c.names.join(','), c.ctx.tenant ?? '-']));
    assert.deepEqual(byFirstSpan, { 'p1,p2': 'acme', p3: '-', p4: 'beta', p5: '-', p6: '-' });
    await running.pop()!.shutdown();
    assert.equal(await committedTotal(name, group), 5, 'every record committed');
  });

  it('reads raw unframed Snappy, as the Collector (franz-go) writes it', async () => {
    const name = await topic(1);
    const downstream = new Downstream();
    const codecs = CompressionCodecs as unknown as Record<number, () => KafkaCodec>;
    const ours = codecs[CompressionTypes.Snappy]!;
    codecs[CompressionTypes.Snappy] = () => ({ compress: async ({ buffer }) => snappy.compress(buffer), decompress: ours().decompress });
    try {
      await produce(name, [{ value: traceRequestProto(['raw1']) }, { value: traceRequestProto(['raw2']) }], CompressionTypes.Snappy);
    } finally {
      codecs[CompressionTypes.Snappy] = ours;
    }
    await receiver(name, uniqueTopicName('group'), downstream);
    await until(() => downstream.accepted.length === 2, 'both records');
    assert.deepEqual(downstream.acceptedNames(), ['raw1', 'raw2']);
  });

  it('reads OTLP/JSON records with traces.encoding: otlp_json', async () => {
    const name = await topic(1);
    const downstream = new Downstream();
    await receiver(name, uniqueTopicName('group'), downstream, { traces: { topics: [name], encoding: 'otlp_json' } });
    await produce(name, [
      { value: Buffer.from(JSON.stringify(traceRequestJson(['j1', 'j2']))), headers: { [TENANT_HEADER]: 'acme' } },
    ], CompressionTypes.GZIP);
    await until(() => downstream.accepted.length === 1, 'the record');
    assert.deepEqual(downstream.accepted[0], { names: ['j1', 'j2'], ctx: { tenant: 'acme' } });
  });

  it('commits only what the pipeline accepted: stopped mid-way and restarted, it loses nothing', async () => {
    const name = await topic(1);
    const group = uniqueTopicName('group');
    const names = Array.from({ length: 20 }, (_, i) => `r${i}`);
    await produce(name, protoRecords(names));
    const first = new Downstream();
    first.behaviour = async (_b, _c, call) => {
      if (call >= 8) throw new RetryableError('storage down');
    };
    await receiver(name, group, first);
    await until(() => first.calls.length > 22, 'retries of r8');
    await running.pop()!.shutdown();
    assert.deepEqual(first.acceptedNames(), names.slice(0, 8));
    assert.deepEqual(await committed(name, group), [8]);

    const second = new Downstream();
    await receiver(name, group, second);
    await until(() => second.accepted.length === 12, 'the rest');
    assert.deepEqual(second.acceptedNames(), names.slice(8), 'resumes at the first record not accepted, in order');
  });

  it('retries records the pipeline refuses for a while and skips none of them', async () => {
    const name = await topic(2);
    const group = uniqueTopicName('group');
    const names = Array.from({ length: 30 }, (_, i) => `s${i}`);
    const downstream = new Downstream();
    let firstCall = 0;
    downstream.behaviour = async () => {
      firstCall ||= Date.now();
      if (Date.now() - firstCall < 500) throw new RetryableError('ingester over budget');
    };
    const { settings } = await receiver(name, group, downstream);
    await produce(name, protoRecords(names));
    await until(() => downstream.accepted.length === 30, 'every record');
    assert.deepEqual(downstream.acceptedNames().sort(), [...names].sort());
    assert.ok(await metricValue(settings.metrics, 'tracelake_receiver_kafka_retries_total', { receiver: 'kafka/it' }) > 0);
    assert.equal(await metricValue(settings.metrics, 'tracelake_receiver_kafka_skipped_records_total', { receiver: 'kafka/it' }), 0);
    await running.pop()!.shutdown();
    assert.equal(await committedTotal(name, group), 30);
  });

  it('does not let a malformed record stall its partition', async () => {
    const name = await topic(1);
    const group = uniqueTopicName('group');
    const downstream = new Downstream();
    const { settings } = await receiver(name, group, downstream);
    await produce(name, [
      { value: traceRequestProto(['before']) }, { value: Buffer.from('not protobuf at all \xff\xff') },
      { value: traceRequestProto(['after']) },
    ]);
    await until(() => downstream.accepted.length === 2, 'the two good records');
    assert.deepEqual(downstream.acceptedNames(), ['before', 'after']);
    assert.equal(await metricValue(settings.metrics, 'tracelake_receiver_kafka_skipped_records_total',
      { receiver: 'kafka/it', reason: 'permanent' }), 1);
    await running.pop()!.shutdown();
    assert.deepEqual(await committed(name, group), [3]);
  });

  it('splits a 4-partition topic between two receivers of one group, which together deliver every record', async () => {
    const name = await topic(4);
    const group = uniqueTopicName('group');
    const a = new Downstream();
    const b = new Downstream();
    await receiver(name, group, a);
    await receiver(name, group, b);
    await waitForStableGroup(group, 2);
    const names = Array.from({ length: 200 }, (_, i) => `t${i}`);
    await produce(name, protoRecords(names));
    await until(() => a.accepted.length + b.accepted.length === 200, 'every record');
    assert.ok(a.accepted.length > 0 && b.accepted.length > 0, `split ${a.accepted.length}/${b.accepted.length}`);
    assert.deepEqual([...a.acceptedNames(), ...b.acceptedNames()].sort(), [...names].sort(), 'each record once');
  });

  it('hands a revoked partition over without losing records when it was retrying them', async () => {
    const name = await topic(4);
    const group = uniqueTopicName('group');
    const names = Array.from({ length: 100 }, (_, i) => `v${i}`);
    await produce(name, protoRecords(names));
    const a = new Downstream();
    let aRefuses = true;
    a.behaviour = async () => {
      if (aRefuses) throw new RetryableError('storage down');
    };
    await receiver(name, group, a);
    await until(() => a.calls.length > 100, 'the first receiver retrying');
    const b = new Downstream();
    await receiver(name, group, b);
    await waitForStableGroup(group, 2);
    await until(() => b.accepted.length > 0, 'the second receiver consuming its partitions');
    assert.equal(a.accepted.length, 0);
    aRefuses = false;
    await until(() => a.accepted.length + b.accepted.length === 100, 'every record');
    assert.deepEqual([...a.acceptedNames(), ...b.acceptedNames()].sort(), [...names].sort(), 'each record once');
    await Promise.all(running.splice(0).map((c) => c.shutdown()));
    assert.equal(await committedTotal(name, group), 100);
  });

  it('pauses while the memory_limiter refuses and delivers everything once memory is back', async () => {
    const name = await topic(1);
    const downstream = new Downstream();
    let usedMib = 95;
    const limiter = new MemoryLimiterProcessor(testSettings('memory_limiter'), {
      limits: { hardBytes: 100 * 1024 * 1024, softBytes: 80 * 1024 * 1024 },
      checkIntervalMs: 3_600_000, minGcIntervalSoftMs: 0, minGcIntervalHardMs: 0,
      readMemory: () => usedMib * 1024 * 1024, gc: undefined,
    }, downstream);
    await limiter.start();
    running.push(limiter);
    const { settings } = await receiver(name, uniqueTopicName('group'), limiter);
    await produce(name, protoRecords(['m0', 'm1', 'm2']));
    const retries = () => metricValue(settings.metrics, 'tracelake_receiver_kafka_retries_total', { receiver: 'kafka/it' });
    for (let i = 0; i < 200 && (await retries()) < 3; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(downstream.accepted.length, 0);
    usedMib = 50;
    limiter.check();
    await until(() => downstream.accepted.length === 3, 'every record');
    assert.deepEqual(downstream.acceptedNames(), ['m0', 'm1', 'm2']);
  });

  /** Waits until the group is stable with `members` members, each assigned at least one partition. */
  async function waitForStableGroup(group: string, members: number): Promise<void> {
    const admin = testKafka('tracelake-receiver-test-admin').admin();
    await admin.connect();
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const { groups } = await admin.describeGroups([group]);
        const g = groups[0]!;
        const assigned = g.members.filter((m) => {
          const decoded = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
          return decoded !== null && Object.values(decoded.assignment).some((p) => p.length > 0);
        });
        if (g.state === 'Stable' && g.members.length === members && assigned.length === members) return;
        if (Date.now() > deadline) throw new Error(`group ${group} not stable with ${members} members: ${g.state}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await admin.disconnect();
    }
  }
});
