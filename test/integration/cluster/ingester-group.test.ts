import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { readAll } from '../kafka-broker.ts';
import { createOtlpExporter, exportSpans, recordSimpleTrace, traceIdOf } from '../sdk-spans.ts';
import { getTrace } from '../tempo-client.ts';
import type { NormSpan } from '../trace-model.ts';
import type { TracelakeProcess } from '../tracelake-process.ts';
import { Cluster, PARTITIONS } from './cluster.ts';
import { expectedSpans, tracesOnTopic, waitForWholeTraces } from './trace-checks.ts';

describe('two ingesters in one consumer group', function () {
  let cluster: Cluster | undefined;

  after(async function () {
    await cluster?.close();
  });

  it('split the partitions, and every trace is whole on the ingester owning its partition and absent from the other', async function () {
    cluster = await Cluster.create('group');
    const run = randomBytes(3).toString('hex');
    const names = [`ingester-a-${run}`, `ingester-b-${run}`];
    const [gateway, a, b] = await Promise.all([
      cluster.startGateway(),
      cluster.startIngester({ clientId: names[0] }),
      cluster.startIngester({ clientId: names[1] }),
    ]);
    const byName = new Map<string, TracelakeProcess>([[names[0]!, a], [names[1]!, b]]);

    // The split, as the broker's group coordinator sees it (kafkajs admin, not Tracelake).
    const owners = await cluster.waitForAssignment(2);
    assert.deepEqual(new Set(owners.keys()), new Set(names));
    for (const [name, partitions] of owners) assert.ok(partitions.length > 0, `${name} owns no partition`);
    assert.deepEqual([...owners.values()].flat().sort(), Array.from({ length: PARTITIONS }, (_, i) => i), 'partitions owned');
    const ownerOf = new Map<number, string>();
    for (const [name, partitions] of owners) for (const p of partitions) ownerOf.set(p, name);

    // 40 traces, five to a request, so one request feeds several partitions.
    const traces = Array.from({ length: 40 }, (_, i) => recordSimpleTrace({ spans: 3, name: `group-${i}` }));
    const exporter = createOtlpExporter('http/protobuf', gateway);
    try {
      for (let i = 0; i < traces.length; i += 5) await exportSpans(exporter, traces.slice(i, i + 5).flat() as ReadableSpan[]);
    } finally {
      await exporter.shutdown();
    }

    // Where each trace went, read from the topic by a plain consumer.
    const onTopic = tracesOnTopic(await readAll(cluster.topic));
    const expectedOn = new Map<string, Map<string, NormSpan[]>>(names.map((n) => [n, new Map()]));
    for (const spans of traces) {
      const id = traceIdOf(spans);
      const partitions = [...(onTopic.partitions.get(id) ?? [])];
      assert.equal(partitions.length, 1, `trace ${id} is in partitions ${JSON.stringify(partitions)}`);
      expectedOn.get(ownerOf.get(partitions[0]!)!)!.set(id, expectedSpans(spans));
    }

    for (const [name, expected] of expectedOn) {
      assert.ok(expected.size > 0, `no trace landed in ${name}'s partitions ${JSON.stringify(owners.get(name))}`);
      const owner = byName.get(name)!;
      const other = byName.get(names.find((n) => n !== name)!)!;
      await waitForWholeTraces(owner, expected, { timeoutMs: 20_000, allVariants: false });
      for (const id of expected.keys()) {
        const elsewhere = await getTrace(other, id, 'v2', 'protobuf');
        assert.equal(elsewhere.status, 404, `trace ${id} (owned by ${name}) is also on the other ingester`);
      }
    }
  });
});
