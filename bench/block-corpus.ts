/**
 * A reproducible corpus of realistic traces for block benchmarks: OTLP protobuf spans of ~500 bytes
 * (resource share included), 5–20 spans per trace over a few services, mixed attribute types, resource
 * attributes repeated per ResourceSpans as an ingester receives them.
 */
import type { TraceEntry } from '../backend/block/block-meta.ts';

type Value = string | number | boolean | bigint;

/** Deterministic PRNG (mulberry32) so every run measures the same bytes. */
export function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const enc = new TextEncoder();

function varint(out: number[], v: number | bigint): void {
  if (typeof v === 'number' && v >= 0 && v < 2 ** 31) {
    for (; v >= 0x80; v >>>= 7) out.push((v & 0x7f) | 0x80);
    out.push(v);
    return;
  }
  let n = BigInt.asUintN(64, BigInt(v));
  while (n >= 0x80n) {
    out.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  out.push(Number(n));
}

/** Minimal protobuf message builder: enough for TracesData. */
class Msg {
  readonly bytes: number[] = [];
  bytesField(field: number, data: Uint8Array | readonly number[]): this {
    varint(this.bytes, (field << 3) | 2);
    varint(this.bytes, data.length);
    for (let i = 0; i < data.length; i++) this.bytes.push(data[i]);
    return this;
  }
  str(field: number, s: string): this {
    return this.bytesField(field, enc.encode(s));
  }
  msg(field: number, m: Msg): this {
    return this.bytesField(field, m.bytes);
  }
  uint(field: number, v: number | bigint): this {
    varint(this.bytes, field << 3);
    varint(this.bytes, v);
    return this;
  }
  fixed64(field: number, v: bigint): this {
    varint(this.bytes, (field << 3) | 1);
    for (let i = 0n; i < 8n; i++) this.bytes.push(Number((v >> (8n * i)) & 0xffn));
    return this;
  }
  double(field: number, v: number): this {
    varint(this.bytes, (field << 3) | 1);
    const b = new Uint8Array(new Float64Array([v]).buffer);
    for (const x of b) this.bytes.push(x);
    return this;
  }
  build(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function keyValue(key: string, v: Value): Msg {
  const any = new Msg();
  if (typeof v === 'string') any.str(1, v);
  else if (typeof v === 'boolean') any.uint(2, v ? 1 : 0);
  else if (typeof v === 'bigint') any.uint(3, v);
  else any.double(4, v);
  return new Msg().str(1, key).msg(2, any);
}

interface Service {
  name: string;
  resource: Msg;
  scope: Msg;
  kinds: 'http' | 'db' | 'rpc';
}

function hex(random: () => number, chars: number): string {
  let s = '';
  for (let i = 0; i < chars; i++) s += Math.floor(random() * 16).toString(16);
  return s;
}

function makeServices(random: () => number): Service[] {
  const names = ['frontend', 'checkout', 'cart', 'payment', 'shipping', 'currency', 'product-catalog', 'ad', 'email', 'recommendation'];
  return names.map((name, i): Service => {
    const pod = `${name}-${hex(random, 10)}-${hex(random, 5)}`;
    const attrs: [string, Value][] = [
      ['service.name', name], ['service.version', `1.${i}.${(i * 7) % 13}`],
      ['service.instance.id', `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-a${hex(random, 3)}-${hex(random, 12)}`],
      ['host.name', pod],
      ['process.pid', BigInt(1 + Math.floor(random() * 30000))],
      ['process.runtime.version', '21.0.2+13-LTS'],
      ['telemetry.sdk.name', 'opentelemetry'], ['telemetry.sdk.language', 'java'], ['telemetry.sdk.version', '1.36.0'],
      ['k8s.pod.name', pod], ['container.id', hex(random, 64)],
    ];
    const resource = new Msg();
    for (const [k, v] of attrs) resource.msg(1, keyValue(k, v));
    const scope = new Msg().str(1, `io.opentelemetry.${['tomcat-10.0', 'jdbc', 'grpc-1.6'][i % 3]}`).str(2, '2.1.0-alpha');
    return { name, resource, scope, kinds: (['http', 'db', 'rpc'] as const)[i % 3] };
  });
}

const routes = ['/api/v1/orders/{id}', '/api/v1/cart', '/api/v1/products/{id}', '/api/v1/checkout', '/healthz', '/api/v1/users/{id}/profile'];
const tables = ['orders', 'order_items', 'customers', 'products', 'inventory'];

function spanAttributes(random: () => number, kind: Service['kinds']): [string, Value][] {
  const thread: [string, Value][] = [['thread.id', BigInt(20 + Math.floor(random() * 200))], ['thread.name', `http-nio-8080-exec-${1 + Math.floor(random() * 50)}`]];
  const id = Math.floor(random() * 1e6);
  if (kind === 'http') {
    const route = routes[Math.floor(random() * routes.length)];
    return [
      ['http.request.method', random() < 0.8 ? 'GET' : 'POST'], ['http.route', route],
      ['url.path', route.replace('{id}', String(id))], ['http.response.status_code', BigInt(random() < 0.95 ? 200 : 503)],
      ['server.address', 'shop.example.com'], ['server.port', 8080n], ['network.protocol.version', '1.1'],
      ['client.address', `10.${Math.floor(random() * 4)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`],
      ...thread,
    ];
  }
  if (kind === 'db') {
    const table = tables[Math.floor(random() * tables.length)];
    return [
      ['db.system', 'postgresql'], ['db.sql.table', table],
      ['db.statement', `SELECT id, status, total FROM ${table} WHERE customer_id = ?`],
      ['server.address', 'pg-primary.shop-prod.svc.cluster.local'], ['server.port', 5432n],
      ['db.rows', BigInt(Math.floor(random() * 100))], ['db.cache_hit', random() < 0.3], ...thread,
    ];
  }
  return [
    ['rpc.system', 'grpc'], ['rpc.service', 'oteldemo.ProductCatalog'], ['rpc.method', 'GetProduct'],
    ['rpc.grpc.status_code', 0n], ['server.address', 'product-catalog'],
    ['app.product.id', `OLJCESPC7Z${Math.floor(random() * 100)}`], ['app.product.price', Math.round(random() * 10000) / 100],
    ['app.cart.items', BigInt(Math.floor(random() * 8))], ...thread,
  ];
}

function randomBytes(random: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(random() * 256);
  return b;
}

interface SpanPlan { service: Service; msg: Msg }

function makeTrace(random: () => number, services: Service[], baseNs: bigint): { entry: TraceEntry; bytes: number } {
  const traceId = randomBytes(random, 16);
  const spanCount = 5 + Math.floor(random() * 16);
  const inTrace = Array.from({ length: 2 + Math.floor(random() * 3) }, () => services[Math.floor(random() * services.length)]);
  const start = baseNs + BigInt(Math.floor(random() * 300e9));
  const total = BigInt(Math.floor(5e6 + random() * 500e6));
  const ids: Uint8Array[] = [];
  const plans: SpanPlan[] = [];
  const minStart = start;
  let maxEnd = start;
  for (let i = 0; i < spanCount; i++) {
    const service = i === 0 ? inTrace[0] : inTrace[Math.floor(random() * inTrace.length)];
    const spanId = randomBytes(random, 8);
    ids.push(spanId);
    const s = start + BigInt(Math.floor(random() * Number(total) * 0.5)) * BigInt(i === 0 ? 0 : 1);
    const e = s + BigInt(Math.floor(random() * Number(total) * (i === 0 ? 1 : 0.4))) + 1000n;
    if (e > maxEnd) maxEnd = e;
    const span = new Msg().bytesField(1, traceId).bytesField(2, spanId);
    if (i > 0) span.bytesField(4, ids[Math.floor(random() * i)]);
    span.str(5, i === 0 ? `GET ${routes[Math.floor(random() * routes.length)]}` : `${service.kinds} ${service.name} op${Math.floor(random() * 6)}`);
    span.uint(6, i === 0 ? 2 : 1 + Math.floor(random() * 3)).fixed64(7, s).fixed64(8, e);
    for (const [k, v] of spanAttributes(random, service.kinds)) span.msg(9, keyValue(k, v));
    if (random() < 0.1) span.msg(11, new Msg().fixed64(1, s + 1000n).str(2, 'exception').msg(3, keyValue('exception.type', 'java.net.SocketTimeoutException')));
    span.msg(15, new Msg().uint(3, random() < 0.05 ? 2 : 0));
    plans.push({ service, msg: span });
  }
  const trace = new Msg();
  for (const service of new Set(plans.map((p) => p.service))) {
    const mine = plans.filter((p) => p.service === service);
    // Spans of one service often arrive in two batches: the resource is then repeated.
    const cut = mine.length > 3 && random() < 0.5 ? Math.floor(mine.length / 2) : mine.length;
    for (const part of [mine.slice(0, cut), mine.slice(cut)]) {
      if (part.length === 0) continue;
      const scopeSpans = new Msg().msg(1, service.scope);
      for (const p of part) scopeSpans.msg(2, p.msg);
      trace.msg(1, new Msg().msg(1, service.resource).msg(2, scopeSpans));
    }
  }
  const bytes = trace.build();
  const entry = { traceId, trace: bytes, startUnixNano: Number(minStart), endUnixNano: Number(maxEnd), spanCount };
  return { entry, bytes: bytes.length };
}

function compareIds(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

export interface Corpus {
  /** Sorted by trace ID. */
  readonly entries: TraceEntry[];
  readonly spans: number;
  /** Bytes of all traces as OTLP protobuf. */
  readonly protobufBytes: number;
}

/** At least `minSpans` spans in traces starting within 5 minutes of `baseUnixSeconds`. */
export function makeCorpus(minSpans: number, seed = 1, baseUnixSeconds = 1_700_000_000): Corpus {
  const random = makeRandom(seed);
  const services = makeServices(random);
  const entries: TraceEntry[] = [];
  let spans = 0;
  let protobufBytes = 0;
  while (spans < minSpans) {
    const { entry, bytes } = makeTrace(random, services, BigInt(baseUnixSeconds) * 1_000_000_000n);
    entries.push(entry);
    spans += entry.spanCount;
    protobufBytes += bytes;
  }
  entries.sort((a, b) => compareIds(a.traceId, b.traceId));
  return { entries, spans, protobufBytes };
}
