import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { components } from '../bin/components.ts';
import type { Component, CreateSettings, Factory, RequestContext, TracesConsumer } from '../pipeline/component.ts';
import { deepMerge, isPlainObject } from '../pipeline/config/deep-merge.ts';
import { schemaErrors } from '../pipeline/config/schema-validator.ts';
import { decodeTraceRequest } from '../pipeline/otlp/decode-trace-request.ts';
import { otlpJsonToProtobuf } from '../pipeline/otlp/json.ts';
import type { TraceBatch } from '../pipeline/trace-batch.ts';
import {
  assertBrokerReachable, createTopic, deleteTopic, endOffsets, kafkaBrokers, uniqueTopicName,
} from './integration/kafka-broker.ts';
import { freePort } from './support/free-port.ts';

/** Two spans of one trace, as an SDK would send them. */
function smallBatch(): TraceBatch {
  const now = BigInt(Date.now()) * 1_000_000n;
  const span = (spanId: string, name: string, parentSpanId = '') => ({
    traceId: '5b8efff798038103d269b633813fc60c', spanId, parentSpanId, name, kind: 2,
    startTimeUnixNano: String(now), endTimeUnixNano: String(now + 1_000_000n),
    attributes: [{ key: 'http.method', value: { stringValue: 'GET' } }],
  });
  const request = {
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'contract-test' } }] },
      scopeSpans: [{ scope: { name: 'test' }, spans: [span('eee19b7ec3c1b174', 'parent'), span('eee19b7ec3c1b175', 'child', 'eee19b7ec3c1b174')] }],
    }],
  };
  return decodeTraceRequest(otlpJsonToProtobuf(request)).batch;
}


/** The default config, moved off the well-known ports and the working directory so tests can run anywhere. */
async function isolated(value: unknown, dir: string, key = ''): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((v) => isolated(v, dir)));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await isolated(v, dir, k);
    return out;
  }
  if (key === 'endpoint' && typeof value === 'string') return `127.0.0.1:${await freePort()}`;
  if (key.endsWith('_port') && typeof value === 'number') return freePort();
  if (key.endsWith('_address') && typeof value === 'string') return '127.0.0.1';
  if ((key === 'path' || key.endsWith('_dir')) && typeof value === 'string' && !isAbsolute(value)) return join(dir, value);
  return value;
}

/**
 * A config naming Kafka brokers (the kafka exporter and receiver) gets the test broker, a topic and a group
 * of this run alone, and no retrying: an unreachable broker fails the test at once, and the run never reads
 * or writes the well-known `otlp_spans`.
 */
function kafkaIsolated(config: unknown, topic: string): unknown {
  if (!isPlainObject(config)) return config;
  return deepMerge(config, {
    brokers: kafkaBrokers(),
    ...('group_id' in config ? { group_id: uniqueTopicName('contract-group') } : {}),
    ...('retry_on_failure' in config ? { retry_on_failure: { enabled: false } } : {}),
    traces: isPlainObject(config.traces) && 'topics' in config.traces ? { topics: [topic] } : { topic },
  });
}

const usesKafka = (config: unknown): boolean => isPlainObject(config) && 'brokers' in config;

function recorder(): TracesConsumer & { spans: number } {
  const r = {
    spans: 0,
    async consumeTraces(batch: TraceBatch, _ctx: RequestContext) {
      r.spans += batch.spanCount;
    },
  };
  return r;
}

function settings(factory: Factory): CreateSettings {
  return {
    id: `${factory.type}/contract`,
    logger: pino({ level: 'silent' }),
    metrics: new Registry(),
    build: { version: '0.0.0-test', revision: 'test', goVersion: process.version },
  };
}

describe('every component factory (bin/components.ts)', () => {
  it('lists each type once per kind', () => {
    const keys = components.map((f) => `${f.kind}/${f.type}`);
    assert.equal(new Set(keys).size, keys.length, keys.join(', '));
  });

  for (const factory of components) {
    describe(`${factory.kind} ${factory.type}`, () => {
      let dir = '';
      let topic: string | undefined;
      beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), `tracelake-${factory.type}-`));
      });
      afterEach(async () => {
        rmSync(dir, { recursive: true, force: true });
        if (topic !== undefined) await deleteTopic(topic);
        topic = undefined;
      });

      it('is a frozen object literal', () => {
        assert.ok(Object.isFrozen(factory));
        assert.match(factory.type, /^[a-z][a-z0-9_]*$/);
      });

      it('makes a fresh default config each call that passes its own schema and checks', () => {
        const a = factory.createDefaultConfig();
        assert.notEqual(a, factory.createDefaultConfig());
        assert.deepEqual(a, factory.createDefaultConfig());
        assert.deepEqual(schemaErrors(factory.configSchema, a, factory.type), []);
        assert.deepEqual(factory.validate?.(a) ?? [], []);
        assert.deepEqual(schemaErrors(factory.configSchema, deepMerge(a, null), factory.type), [], 'empty body means defaults');
      });

      it('creates, starts, consumes a small batch and shuts down, twice without complaint', async () => {
        let config = await isolated(factory.createDefaultConfig(), dir);
        if (usesKafka(config)) {
          await assertBrokerReachable(); // fails loudly, with `npm run services:up` to run
          topic = await createTopic(1, 'contract');
          config = kafkaIsolated(config, topic);
        }
        const host = { signal: new AbortController().signal };
        const next = recorder();
        const batch = smallBatch();
        let component: Component;
        switch (factory.kind) {
          case 'receiver':
            component = factory.createTraces(settings(factory), config, next);
            break;
          case 'processor':
          case 'exporter': {
            const c = factory.kind === 'processor'
              ? factory.createTraces(settings(factory), config, next)
              : factory.createTraces(settings(factory), config);
            await c.start(host);
            await c.consumeTraces(batch, {});
            await c.shutdown();
            await c.shutdown();
            if (factory.kind === 'processor') assert.equal(next.spans, batch.spanCount, 'flushed everything on shutdown');
            if (topic !== undefined) assert.equal((await endOffsets(topic)).get(0), 1, `one record on ${topic}`);
            return;
          }
          case 'extension':
            component = factory.create(settings(factory), config);
            break;
        }
        await component.start(host);
        await component.shutdown();
        await component.shutdown();
      });
    });
  }
});
