import assert from 'node:assert/strict';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as HttpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { startReceiver, type StartedReceiver } from './receiver-harness.ts';
import { exportSpans, sdkSpans } from './sdk-spans.ts';

describe('OTLP/HTTP receiver with the OpenTelemetry SDK exporters', () => {
  let r: StartedReceiver;

  beforeEach(async () => {
    r = await startReceiver();
  });

  afterEach(async () => {
    await r.receiver.shutdown();
  });

  for (const [name, Exporter] of [['protobuf', HttpProtoExporter], ['JSON', HttpJsonExporter]] as const) {
    it(`receives every span sent as gzip ${name} with the tenant header`, async () => {
      const exporter = new Exporter({
        url: r.httpUrl, compression: 'gzip' as CompressionAlgorithm, headers: { 'X-Scope-OrgID': 'team-c' },
      });
      const spans = await sdkSpans(4);
      const result = await exportSpans(exporter, spans);
      assert.equal(result.code, 0, result.error?.message);
      assert.equal(r.consumer.calls[0]!.ctx.tenant, 'team-c');
      assert.deepEqual(new Set(r.consumer.spanIds()), new Set(spans.map((s) => s.spanContext().spanId)));
    });
  }
});
