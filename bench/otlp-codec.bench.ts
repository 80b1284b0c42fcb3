/**
 * OTLP codec throughput: decode, encode, JSON→protobuf and protobuf→JSON over a realistic request
 * (512 spans of ~500 bytes, 3 resources, 8–10 mixed attributes per span, an event on every 4th span).
 * Run: node bench/otlp-codec.bench.ts [spansPerRequest]
 */
import { decodeTraceRequest } from '../pipeline/otlp/decode-trace-request.ts';
import { encodeTraceBatch } from '../pipeline/otlp/encode-trace-batch.ts';
import { bytesToHex } from '../pipeline/otlp/hex.ts';
import { otlpJsonToProtobuf, protobufToJson } from '../pipeline/otlp/json.ts';

const SPANS = Number(process.argv[2] ?? 512);
const RESOURCES = 3;

/** Deterministic pseudo-random numbers, so every run measures the same request. */
let seed = 42;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
function randomHex(bytes: number): string {
  return bytesToHex(Uint8Array.from({ length: bytes }, () => Math.floor(random() * 256)));
}

const ROUTES = ['/api/cart', '/api/checkout/{id}', '/api/products', '/api/users/{id}/orders', '/healthz'];

function attributes(i: number): object[] {
  const kv = (key: string, value: object) => ({ key, value });
  return [
    kv('http.request.method', { stringValue: i % 3 === 0 ? 'POST' : 'GET' }),
    kv('http.route', { stringValue: ROUTES[i % ROUTES.length] }),
    kv('url.full', { stringValue: `https://shop.example.com${ROUTES[i % ROUTES.length]}?page=${i % 17}` }),
    kv('http.response.status_code', { intValue: String(i % 11 === 0 ? 500 : 200) }),
    kv('server.address', { stringValue: 'shop.example.com' }),
    kv('server.port', { intValue: 443 }),
    kv('network.protocol.version', { stringValue: '1.1' }),
    kv('user_agent.original', { stringValue: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36' }),
    kv('app.cache_hit_ratio', { doubleValue: random() }),
    kv('app.feature_flags', { arrayValue: { values: [{ stringValue: 'new-cart' }, { boolValue: i % 2 === 0 }] } }),
  ].slice(0, 8 + (i % 3));
}

function span(i: number, traceId: string, start: bigint): object {
  const end = start + BigInt(Math.floor(random() * 50_000_000));
  return {
    traceId, spanId: randomHex(8), parentSpanId: i % 8 === 0 ? '' : randomHex(8),
    name: `HTTP ${ROUTES[i % ROUTES.length]}`, kind: i % 8 === 0 ? 2 : 3, flags: 257,
    startTimeUnixNano: String(start), endTimeUnixNano: String(end),
    attributes: attributes(i),
    events: i % 4 === 0 ? [{ timeUnixNano: String(start + 1000n), name: 'cache.miss',
      attributes: [{ key: 'cache.key', value: { stringValue: `product:${i}` } }] }] : [],
    status: i % 11 === 0 ? { code: 2, message: 'upstream returned 500' } : {},
  };
}

function buildRequest(spanCount: number): object {
  const t0 = 1_700_000_000_000_000_000n;
  return {
    resourceSpans: Array.from({ length: RESOURCES }, (_, r) => ({
      resource: { attributes: [
        { key: 'service.name', value: { stringValue: ['frontend', 'cart', 'checkout'][r] } },
        { key: 'service.version', value: { stringValue: '2.14.1' } },
        { key: 'deployment.environment.name', value: { stringValue: 'production' } },
        { key: 'host.name', value: { stringValue: `node-${r}.eu-west-1.compute.internal` } },
        { key: 'telemetry.sdk.language', value: { stringValue: 'nodejs' } },
      ] },
      scopeSpans: [{
        scope: { name: '@opentelemetry/instrumentation-http', version: '0.57.0' },
        spans: Array.from({ length: Math.floor((spanCount + RESOURCES - 1 - r) / RESOURCES) }, (_, i) =>
          span(i, randomHex(16), t0 + BigInt(i) * 1_000_000n)),
      }],
    })),
  };
}

interface Rate {
  /** Operations per wall-clock second. */
  wall: number;
  /** Operations per second of CPU time used by this process: steadier on a busy machine. */
  cpu: number;
}

/** Runs fn for ~`ms` after a warm-up. */
function measure(fn: () => unknown, ms = 2000): Rate {
  const warmUntil = Date.now() + 500;
  while (Date.now() < warmUntil) fn();
  let ops = 0;
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 20; i++) fn();
    ops += 20;
    elapsed = process.hrtime.bigint() - start;
  }
  const cpu = process.cpuUsage(cpuStart);
  return { wall: ops / (Number(elapsed) / 1e9), cpu: ops / ((cpu.user + cpu.system) / 1e6) };
}

function report(label: string, rate: Rate, spansPerOp: number, bytesPerOp: number): void {
  const spans = (perSec: number) => Math.round(perSec * spansPerOp).toLocaleString('en-US').padStart(11);
  const mb = ((rate.wall * bytesPerOp) / 1e6).toFixed(0).padStart(5);
  process.stdout.write(`${label.padEnd(34)} ${spans(rate.wall)} spans/s ${mb} MB/s   (${spans(rate.cpu)} per CPU-s)\n`);
}

const json = buildRequest(SPANS);
const jsonText = JSON.stringify(json);
const pb = otlpJsonToProtobuf(json);
const decoded = decodeTraceRequest(pb);
const n = decoded.batch.spanCount;
if (Buffer.compare(Buffer.from(encodeTraceBatch(decoded.batch.resourceSpans)), Buffer.from(pb)) !== 0) {
  throw new Error('re-encoded request differs from the input');
}
process.stdout.write(`request: ${n} spans, ${pb.length} bytes protobuf (${Math.round(pb.length / n)} B/span), ` +
  `${jsonText.length} bytes JSON; node ${process.version}\n`);
report('decode (protobuf → TraceBatch)', measure(() => decodeTraceRequest(pb)), n, pb.length);
report('encode (TraceBatch → protobuf)', measure(() => encodeTraceBatch(decoded.batch.resourceSpans)), n, pb.length);
report('JSON object → protobuf', measure(() => otlpJsonToProtobuf(json)), n, jsonText.length);
report('JSON text → protobuf (w/ parse)', measure(() => otlpJsonToProtobuf(JSON.parse(jsonText))), n, jsonText.length);
report('protobuf → JSON object (tempo)', measure(() => protobufToJson(pb, 'TracesData', 'tempo')), n, pb.length);
