import assert from 'node:assert/strict';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { readAll } from '../kafka-broker.ts';
import { recordSampleTrace, recordSimpleTrace, sendSpans, traceIdOf } from '../sdk-spans.ts';
import { sortSpans, type NormSpan } from '../trace-model.ts';
import { Cluster } from './cluster.ts';
import { expectedSpans, tracesOnTopic } from './trace-checks.ts';

/** Spans of several traces in one request, interleaved as a busy SDK batch would send them. */
function interleave(traces: readonly ReadableSpan[][]): ReadableSpan[] {
  const out: ReadableSpan[] = [];
  for (let i = 0; out.length < traces.flat().length; i++) for (const t of traces) if (i < t.length) out.push(t[i]!);
  return out;
}

describe('gateway records on the topic, read by a plain Kafka consumer', function () {
  let cluster: Cluster | undefined;

  after(async function () {
    await cluster?.close();
  });

  it('decode as OTLP ExportTraceServiceRequest keyed by the trace ID in lowercase hex, one trace per record, a trace in one partition', async function () {
    cluster = await Cluster.create('records');
    const gateway = await cluster.startGateway();

    const mixed = [0, 1, 2].map((i) => recordSimpleTrace({ spans: 3, name: `mixed-${i}` }));
    const sample = recordSampleTrace('records');
    const partA = recordSimpleTrace({ spans: 2, name: 'split-a' });
    const partB = recordSimpleTrace({ spans: 2, name: 'split-b', traceId: traceIdOf(partA) });
    await sendSpans('http/protobuf', gateway, interleave(mixed));
    await sendSpans('grpc', gateway, sample);
    await sendSpans('http/json', gateway, partA);
    await sendSpans('grpc', gateway, partB);

    const expected = new Map<string, NormSpan[]>([
      ...mixed.map((t) => [traceIdOf(t), expectedSpans(t)] as const),
      [traceIdOf(sample), expectedSpans(sample)],
      [traceIdOf(partA), sortSpans([...expectedSpans(partA), ...expectedSpans(partB)])],
    ]);

    const records = await readAll(cluster.topic);
    // Keys, one trace per record and every span decoded: asserted record by record inside tracesOnTopic.
    const onTopic = tracesOnTopic(records);
    // One record per trace per request, as the Collector writes them: the split trace came in two requests.
    assert.equal(records.length, expected.size + 1, `${records.length} records for ${expected.size} traces in 4 requests, one trace split over two`);
    assert.deepStrictEqual(new Set(onTopic.spans.keys()), new Set(expected.keys()), 'record keys');
    for (const [id, spans] of expected) {
      assert.deepStrictEqual(onTopic.spans.get(id), spans, `spans of trace ${id} on the topic`);
      assert.equal(onTopic.partitions.get(id)?.size, 1, `trace ${id} in partitions ${JSON.stringify([...onTopic.partitions.get(id)!])}`);
    }
  });
});
