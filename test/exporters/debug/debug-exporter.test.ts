import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { schemaErrors } from '../../../pipeline/config/schema-validator.ts';
import { decodeTraceRequest } from '../../../pipeline/otlp/decode-trace-request.ts';
import { debugExporterFactory, type DebugExporterConfig } from '../../../exporters/debug/factory.ts';
import { encodeTraceRequest, testSpans } from '../../receivers/otlp/trace-payload.ts';

type LogLine = Record<string, unknown>;

function create(config: Partial<DebugExporterConfig>): { exporter: ReturnType<typeof debugExporterFactory.createTraces>; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) });
  const settings = { id: 'debug', logger, metrics: new Registry(), build: { version: '', revision: '', goVersion: '' } };
  const exporter = debugExporterFactory.createTraces(settings, { ...debugExporterFactory.createDefaultConfig(), ...config });
  return { exporter, lines };
}

const spans = testSpans(3, 'GET /cart');
const batch = () => decodeTraceRequest(encodeTraceRequest([{ service: 'shop', spans: spans.slice(0, 2) },
  { service: 'db', spans: spans.slice(2) }])).batch;

describe('DebugExporter', () => {
  it('logs one line with counts per batch at basic verbosity', async () => {
    const { exporter, lines } = create({ verbosity: 'basic' });
    await exporter.consumeTraces(batch(), { tenant: 't1' });
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.msg, 'traces');
    assert.equal(lines[0]!.resourceSpans, 2);
    assert.equal(lines[0]!.spans, 3);
    assert.equal(lines[0]!.tenant, 't1');
  });

  it('adds one line per span with its IDs and name at normal verbosity', async () => {
    const { exporter, lines } = create({ verbosity: 'normal' });
    await exporter.consumeTraces(batch(), {});
    const spanLines = lines.filter((l) => l.msg === 'span');
    assert.deepEqual(spanLines.map((l) => [l.traceId, l.spanId, l.name]), spans.map((s) => [s.traceId, s.spanId, s.name]));
  });

  it('logs the whole decoded content at detailed verbosity', async () => {
    const { exporter, lines } = create({ verbosity: 'detailed' });
    await exporter.consumeTraces(batch(), {});
    const content = lines.find((l) => l.msg === 'traces content')!.traces as {
      resourceSpans: { resource: { attributes: { value: { stringValue: string } }[] }; scopeSpans: { spans: { name: string; traceId: string }[] }[] }[];
    };
    assert.equal(content.resourceSpans[1]!.resource.attributes[0]!.value.stringValue, 'db');
    assert.equal(content.resourceSpans[0]!.scopeSpans[0]!.spans[1]!.name, spans[1]!.name);
    assert.equal(content.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.traceId, spans[0]!.traceId);
  });

  it('samples as configured: the first sampling_initial batches, then every sampling_thereafter-th', async () => {
    const { exporter, lines } = create({ sampling_initial: 1, sampling_thereafter: 0 });
    for (let i = 0; i < 3; i++) await exporter.consumeTraces(batch(), {});
    assert.equal(lines.length, 1);
  });
});

describe('debugExporterFactory', () => {
  it('has the Collector\'s defaults and refuses unknown keys and verbosities', () => {
    const config = debugExporterFactory.createDefaultConfig();
    assert.deepEqual(config, { verbosity: 'basic', sampling_initial: 2, sampling_thereafter: 1 });
    assert.deepEqual(schemaErrors(debugExporterFactory.configSchema, config, 'debug'), []);
    assert.equal(schemaErrors(debugExporterFactory.configSchema, { verbosity: 'loud' }, 'debug').length, 1);
    assert.equal(schemaErrors(debugExporterFactory.configSchema, { loglevel: 'info' }, 'debug').length, 1);
  });
});
