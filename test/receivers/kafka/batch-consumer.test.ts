import assert from 'node:assert/strict';
import type { CreateSettings } from '../../../pipeline/component.ts';
import { PermanentError, RetryableError, UnauthorizedError } from '../../../pipeline/errors.ts';
import { BatchConsumer } from '../../../receivers/kafka/batch-consumer.ts';
import { RecordDelivery } from '../../../receivers/kafka/record-delivery.ts';
import { KafkaReceiverMetrics } from '../../../receivers/kafka/receiver-metrics.ts';
import type { BackoffSettings } from '../../../receivers/kafka/settings.ts';
import { deferred } from '../otlp/receiver-harness.ts';
import { FakeBatchPayload } from './fake-batch-payload.ts';
import { Downstream, kafkaMessage, metricValue, testSettings, traceRequestJson, traceRequestProto, until } from './trace-records.ts';

const FAST_BACKOFF: BackoffSettings = {
  enabled: false, initialMs: 1, maxMs: 5, multiplier: 2, randomizationFactor: 0, maxElapsedMs: 0,
};

interface Setup {
  readonly consumer: BatchConsumer;
  readonly downstream: Downstream;
  readonly settings: CreateSettings;
  readonly abort: AbortController;
}

function setup(options: { markAfter?: boolean; onError?: boolean; backoff?: Partial<BackoffSettings>; json?: boolean } = {}): Setup {
  const downstream = new Downstream();
  const settings = testSettings();
  const abort = new AbortController();
  const consumer = new BatchConsumer({
    delivery: new RecordDelivery(downstream, options.json === true ? 'otlp_json' : 'otlp_proto'),
    markAfter: options.markAfter ?? true,
    skipOnRetryableError: options.onError ?? false,
    backoff: { ...FAST_BACKOFF, ...options.backoff },
    signal: abort.signal,
    metrics: new KafkaReceiverMetrics(settings),
    logger: settings.logger,
  });
  return { consumer, downstream, settings, abort };
}

const records = (...names: string[]) => names.map((name, i) => kafkaMessage(i, traceRequestProto([name])));
const counted = (s: Setup, name: string, labels: Record<string, string> = {}) =>
  metricValue(s.settings.metrics, name, { receiver: 'kafka', ...labels });

describe('BatchConsumer', () => {
  it('hands every record on at once but marks each offset only after it and all before it were accepted', async () => {
    const s = setup();
    const gates = [deferred(), deferred(), deferred()];
    s.downstream.behaviour = (_b, _c, call) => gates[call]!.promise;
    const payload = new FakeBatchPayload(records('a', 'b', 'c'));
    const done = s.consumer.consume(payload);
    await until(() => s.downstream.calls.length === 3, 'three deliveries');
    assert.deepEqual(s.downstream.calls.map((c) => c.names[0]), ['a', 'b', 'c']);
    gates[1]!.resolve();
    gates[2]!.resolve();
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(payload.resolved(), [], 'nothing marked while the first record is pending');
    gates[0]!.resolve();
    await done;
    assert.deepEqual(payload.resolved(), ['0', '1', '2']);
    assert.equal(payload.lastCommit(), '3', 'commits the offset after the last accepted record');
    assert.equal(await counted(s, 'tracelake_receiver_accepted_spans_total', { transport: 'kafka' }), 3);
  });

  it('retries a record refused with a RetryableError until accepted, skipping nothing', async () => {
    const s = setup();
    let refusals = 0;
    s.downstream.behaviour = async (_b, _c, call) => {
      if (call === 1 || (s.downstream.calls.at(-1)!.names[0] === 'b' && refusals < 3)) {
        refusals++;
        throw new RetryableError('data refused due to high memory usage');
      }
    };
    const payload = new FakeBatchPayload(records('a', 'b', 'c'));
    await s.consumer.consume(payload);
    assert.deepEqual(s.downstream.acceptedNames().sort(), ['a', 'b', 'c']);
    assert.deepEqual(s.downstream.calls.map((c) => c.names[0]), ['a', 'b', 'c', 'b', 'b', 'b']);
    assert.deepEqual(payload.resolved(), ['0', '1', '2']);
    assert.equal(payload.lastCommit(), '3');
    assert.equal(await counted(s, 'tracelake_receiver_kafka_retries_total'), 3);
    assert.equal(await counted(s, 'tracelake_receiver_refused_spans_total', { transport: 'kafka' }), 0);
  });

  it('commits what was accepted before waiting to retry, and nothing past the refused record', async () => {
    const s = setup({ backoff: { initialMs: 30, maxMs: 30 } });
    const release = deferred();
    let retrying = false;
    s.downstream.behaviour = async (_b, _c, call) => {
      if (call === 1) throw new RetryableError('storage down');
      if (call > 2) {
        retrying = true;
        await release.promise;
      }
    };
    const payload = new FakeBatchPayload(records('a', 'b', 'c'));
    const done = s.consumer.consume(payload);
    await until(() => retrying, 'the retry');
    assert.deepEqual(payload.events, ['resolve:0', 'commit:1']);
    release.resolve();
    await done;
    assert.deepEqual(payload.resolved(), ['0', '1', '2']);
  });

  it('skips a record that cannot be decoded, logs and counts it, and goes on', async () => {
    const s = setup();
    const payload = new FakeBatchPayload([
      kafkaMessage(0, traceRequestProto(['a'])), kafkaMessage(1, Buffer.from([0x0a, 0xff, 0x01])), kafkaMessage(2, null),
      kafkaMessage(3, traceRequestProto(['d'])),
    ]);
    await s.consumer.consume(payload);
    assert.deepEqual(s.downstream.acceptedNames(), ['a', 'd']);
    assert.deepEqual(payload.resolved(), ['0', '1', '2', '3']);
    assert.equal(await counted(s, 'tracelake_receiver_kafka_skipped_records_total', { reason: 'permanent' }), 2);
  });

  it('skips a record the pipeline refuses permanently and counts its spans as refused', async () => {
    const s = setup();
    s.downstream.behaviour = async (_b, ctx) => {
      if (ctx.tenant === undefined) throw new UnauthorizedError('no org id');
      if (ctx.tenant === 'bad') throw new PermanentError('invalid');
    };
    const payload = new FakeBatchPayload([
      kafkaMessage(0, traceRequestProto(['a', 'b'])),
      kafkaMessage(1, traceRequestProto(['c']), { 'X-Scope-OrgID': 'bad' }),
      kafkaMessage(2, traceRequestProto(['d']), { 'x-scope-orgid': Buffer.from('acme') }),
    ]);
    await s.consumer.consume(payload);
    assert.deepEqual(s.downstream.accepted.map((c) => [c.names, c.ctx.tenant]), [[['d'], 'acme']]);
    assert.deepEqual(payload.resolved(), ['0', '1', '2']);
    assert.equal(await counted(s, 'tracelake_receiver_refused_spans_total', { transport: 'kafka' }), 3);
    assert.equal(await counted(s, 'tracelake_receiver_kafka_skipped_records_total', { reason: 'permanent' }), 2);
  });

  it('reads OTLP/JSON records with otlp_json', async () => {
    const s = setup({ json: true });
    const payload = new FakeBatchPayload([kafkaMessage(7, Buffer.from(JSON.stringify(traceRequestJson(['j1', 'j2']))))]);
    await s.consumer.consume(payload);
    assert.deepEqual(s.downstream.acceptedNames(), ['j1', 'j2']);
    assert.deepEqual(payload.resolved(), ['7']);
  });

  it('marks and commits the whole batch before handing it on with message_marking.after: false', async () => {
    const s = setup({ markAfter: false });
    let eventsAtFirstCall: string[] = [];
    s.downstream.behaviour = async (_b, _c, call) => {
      if (call === 0) eventsAtFirstCall = [...payload.events];
    };
    const payload = new FakeBatchPayload(records('a', 'b'));
    await s.consumer.consume(payload);
    assert.deepEqual(eventsAtFirstCall, ['resolve:1', 'commit:2']);
    assert.deepEqual(s.downstream.acceptedNames(), ['a', 'b']);
  });

  it('gives a retryably refused record up at once with on_error: true and error_backoff disabled, counting it', async () => {
    const s = setup({ onError: true });
    s.downstream.behaviour = async (_b, _c, call) => {
      if (call === 0) throw new RetryableError('memory');
    };
    const payload = new FakeBatchPayload(records('a', 'b'));
    await s.consumer.consume(payload);
    assert.deepEqual(s.downstream.acceptedNames(), ['b']);
    assert.deepEqual(payload.resolved(), ['0', '1']);
    assert.equal(await counted(s, 'tracelake_receiver_kafka_skipped_records_total', { reason: 'refused' }), 1);
    assert.equal(await counted(s, 'tracelake_receiver_refused_spans_total', { transport: 'kafka' }), 1);
  });

  it('keeps retrying with on_error: true until error_backoff.max_elapsed_time has passed', async () => {
    const s = setup({ onError: true, backoff: { enabled: true, maxElapsedMs: 40 } });
    s.downstream.behaviour = async (_b, _c, call) => {
      if (call === 0 || call === 2) throw new RetryableError('memory');
    };
    const payload = new FakeBatchPayload(records('a', 'b'));
    await s.consumer.consume(payload);
    assert.deepEqual(s.downstream.acceptedNames().sort(), ['a', 'b'], 'accepted on the second retry, well within 40 ms');
    assert.equal(await counted(s, 'tracelake_receiver_kafka_skipped_records_total', { reason: 'refused' }), 0);
  });

  it('gives a record up with on_error: true once error_backoff.max_elapsed_time has passed', async () => {
    const s = setup({ onError: true, backoff: { enabled: true, maxElapsedMs: 30 } });
    const started = Date.now();
    s.downstream.behaviour = async () => {
      throw new RetryableError('memory');
    };
    const payload = new FakeBatchPayload(records('a'));
    await s.consumer.consume(payload);
    assert.ok(Date.now() - started >= 30);
    assert.ok(s.downstream.calls.length > 1, 'retried before giving up');
    assert.deepEqual(payload.resolved(), ['0']);
    assert.equal(await counted(s, 'tracelake_receiver_kafka_skipped_records_total', { reason: 'refused' }), 1);
  });

  it('counts records as dropped when shutdown stops their retries with message_marking.after: false', async () => {
    const s = setup({ markAfter: false, backoff: { initialMs: 20, maxMs: 20 } });
    s.downstream.behaviour = async (_b, _c, call) => {
      if (call > 0) throw new RetryableError('down');
    };
    const payload = new FakeBatchPayload(records('a', 'b', 'c'));
    const done = s.consumer.consume(payload);
    await until(() => s.downstream.calls.length >= 4, 'a retry');
    s.abort.abort();
    await done;
    assert.deepEqual(payload.resolved(), ['2'], 'marked up front');
    assert.equal(await counted(s, 'tracelake_receiver_kafka_skipped_records_total', { reason: 'stopped' }), 2);
    assert.equal(await counted(s, 'tracelake_receiver_refused_spans_total', { transport: 'kafka' }), 2);
  });

  it('stops retrying at shutdown without marking the refused record or anything after it', async () => {
    const s = setup({ backoff: { initialMs: 20, maxMs: 20 } });
    s.downstream.behaviour = async (batch) => {
      if (batch.spanCount > 0 && s.downstream.calls.at(-1)!.names[0] === 'b') throw new RetryableError('down');
    };
    const payload = new FakeBatchPayload(records('a', 'b', 'c'));
    const done = s.consumer.consume(payload);
    await until(() => s.downstream.calls.length >= 5, 'a few retries');
    s.abort.abort();
    await done;
    assert.deepEqual(payload.resolved(), ['0']);
    assert.equal(payload.lastCommit(), '1');
    assert.equal(await counted(s, 'tracelake_receiver_kafka_skipped_records_total', { reason: 'stopped' }), 0);
  });

  it('finishes early when a heartbeat fails (rebalance), committing only what succeeded, then rethrows', async () => {
    const s = setup({ backoff: { initialMs: 1500, maxMs: 1500 } });
    s.downstream.behaviour = async (_b, _c, call) => {
      if (call === 1) throw new RetryableError('down');
    };
    const payload = new FakeBatchPayload(records('a', 'b', 'c'));
    payload.heartbeatError = Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
    await assert.rejects(s.consumer.consume(payload), /rebalancing/);
    assert.deepEqual(payload.resolved(), ['0']);
    assert.equal(payload.lastCommit(), '1');
    assert.equal(payload.heartbeats, 1);
  });
});
