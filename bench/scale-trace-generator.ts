/**
 * Varied traces for the search-at-scale bench, encoded straight to OTLP protobuf: 12 services with their
 * own resource attributes and scopes, HTTP / database / RPC / messaging spans with attributes of every type,
 * all span kinds and statuses, nested parents, events and links. Alongside each trace it reports the facts
 * the bench's match counts are checked against.
 */
import type { TraceEntry } from '../backend/block/block-meta.ts';
import { makeRandom } from './block-corpus.ts';
import { keyValueField, ProtoWriter } from './proto-writer.ts';

type Flavour = 'http' | 'db' | 'rpc' | 'messaging';

interface Service {
  readonly name: string;
  readonly flavour: Flavour;
  /** The encoded Resource message. */
  readonly resource: Uint8Array;
  /** The encoded InstrumentationScope message. */
  readonly scope: Uint8Array;
  readonly operations: readonly string[];
}

const SERVICE_NAMES: readonly (readonly [string, Flavour])[] = [
  ['frontend', 'http'], ['checkout', 'http'], ['cart', 'db'], ['payment', 'rpc'], ['shipping', 'http'],
  ['currency', 'rpc'], ['product-catalog', 'db'], ['ad', 'rpc'], ['email', 'messaging'],
  ['recommendation', 'rpc'], ['quote', 'http'], ['fraud-detection', 'messaging'],
];
const ROUTES = ['/api/cart', '/api/checkout', '/api/products/{id}', '/api/orders/{id}', '/healthz', '/api/users/{id}'];
const HTTP_CODES = [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201, 404, 500, 503] as const;
const TABLES = ['orders', 'order_items', 'customers', 'products', 'inventory'];

/** What the bench checks its scans against, per trace. */
export interface TraceFacts {
  /** Some span has `http.status_code` = 503. */
  readonly has503: boolean;
  /** Some span of service `checkout` lasts more than 100 ms. */
  readonly slowCheckout: boolean;
  /** Some span has status error. */
  readonly hasError: boolean;
}

export interface GeneratedTrace {
  readonly entry: TraceEntry;
  readonly facts: TraceFacts;
}

function buildService(name: string, flavour: Flavour, i: number, random: () => number): Service {
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const pod = `${name}-${hex(10)}-${hex(5)}`;
  const resource = new ProtoWriter();
  for (const [k, v] of [
    ['service.name', name], ['service.version', `1.${i}.${(i * 7) % 13}`], ['service.namespace', 'shop'],
    ['deployment.environment', i % 4 === 3 ? 'staging' : 'prod'], ['host.name', pod], ['k8s.pod.name', pod],
    ['process.pid', 1 + Math.floor(random() * 30000)], ['telemetry.sdk.language', i % 2 === 0 ? 'java' : 'go'],
    ['container.id', hex(64)],
  ] as const) resource.raw(keyValueField(1, k, v));
  const scope = new ProtoWriter().string(1, `io.opentelemetry.${flavour}`).string(2, '2.1.0');
  const operations = Array.from({ length: 6 }, (_, k) => `${flavour} ${name} op${k}`);
  return { name, flavour, resource: resource.toBytes(), scope: scope.toBytes(), operations };
}

/** Prebuilt attribute fields for values from small sets. */
const KV = {
  method: ['GET', 'GET', 'GET', 'POST'].map((v) => keyValueField(9, 'http.method', v)),
  code: new Map(HTTP_CODES.map((c) => [c, keyValueField(9, 'http.status_code', c)])),
  route: ROUTES.map((r) => keyValueField(9, 'http.route', r)),
  dbSystem: keyValueField(9, 'db.system', 'postgresql'),
  table: TABLES.map((t) => keyValueField(9, 'db.sql.table', t)),
  cacheHit: [true, false].map((b) => keyValueField(9, 'db.cache_hit', b)),
  rpcSystem: keyValueField(9, 'rpc.system', 'grpc'),
  grpcCode: [0, 0, 0, 0, 2, 14].map((c) => keyValueField(9, 'rpc.grpc.status_code', c)),
  queue: ['orders', 'emails', 'fraud'].map((q) => keyValueField(9, 'messaging.destination.name', q)),
  retry: [true, false].map((b) => keyValueField(9, 'retry', b)),
};

/** Generates traces one at a time, deterministically for a seed. */
export class ScaleTraceGenerator {
  readonly #random: () => number;
  readonly #services: Service[];
  readonly #trace = new ProtoWriter();
  readonly #rs = new ProtoWriter();
  readonly #ss = new ProtoWriter();
  readonly #span = new ProtoWriter();
  readonly #tmp = new ProtoWriter();
  readonly #any = new ProtoWriter();
  readonly #kv = new ProtoWriter();

  constructor(seed: number) {
    this.#random = makeRandom(seed);
    this.#services = SERVICE_NAMES.map(([n, f], i) => buildService(n, f, i, this.#random));
  }

  #bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const r = Math.floor(this.#random() * 2 ** 32);
      for (let k = 0; k < 4 && i + k < n; k++) b[i + k] = (r >>> (8 * k)) & 0xff;
    }
    return b;
  }

  #pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.#random() * xs.length)]!;
  }

  /** One trace with the given ID, starting at `startNs`. */
  next(traceId: Uint8Array, startNs: bigint): GeneratedTrace {
    const r = this.#random;
    const spanCount = Math.min(60, 1 + Math.floor(-Math.log(1 - r()) * 7));
    const root = r() < 0.6 ? this.#services[0]! : this.#pick(this.#services);
    const inTrace = [root, ...Array.from({ length: 1 + Math.floor(r() * 4) }, () => this.#pick(this.#services))];
    const rootDur = Math.floor(Math.exp(Math.log(1e6) + r() * (Math.log(3e9) - Math.log(1e6))));
    const ids: Uint8Array[] = [];
    const bySvc = new Map<Service, Uint8Array[]>();
    let endNs = startNs;
    let has503 = false;
    let slowCheckout = false;
    let hasError = false;
    for (let i = 0; i < spanCount; i++) {
      const svc = i === 0 ? root : this.#pick(inTrace);
      const spanId = this.#bytes(8);
      ids.push(spanId);
      const offset = i === 0 ? 0 : Math.floor(r() * rootDur * 0.6);
      const dur = i === 0 ? rootDur : Math.max(1000, Math.floor(r() * (rootDur - offset)));
      const s = startNs + BigInt(offset);
      const e = s + BigInt(dur);
      if (e > endNs) endNs = e;
      const status = r() < 0.04 ? 2 : r() < 0.1 ? 1 : 0;
      const w = this.#span.reset().bytes(1, traceId).bytes(2, spanId);
      if (i > 0) w.bytes(4, ids[Math.floor(r() * i)]!);
      w.string(5, i === 0 ? `GET ${this.#pick(ROUTES)}` : this.#pick(svc.operations));
      w.uint(6, i === 0 ? 2 : Math.floor(r() * 6)).fixed64(7, s).fixed64(8, e);
      const code = this.#attributes(svc.flavour);
      if (code === 503) has503 = true;
      if (svc.name === 'checkout' && dur > 100_000_000) slowCheckout = true;
      if (status === 2) hasError = true;
      if (r() < 0.3) w.raw(this.#pick(KV.retry));
      if (r() < 0.08) this.#event(s);
      if (r() < 0.02) w.message(13, this.#tmp.reset().bytes(1, this.#bytes(16)).bytes(2, this.#bytes(8)));
      w.message(15, status === 2 ? this.#tmp.reset().string(2, 'upstream failed').uint(3, 2) : this.#tmp.reset().uint(3, status));
      const list = bySvc.get(svc) ?? [];
      list.push(w.toBytes());
      bySvc.set(svc, list);
    }
    const trace = this.#trace.reset();
    for (const [svc, spans] of bySvc) {
      const ss = this.#ss.reset().bytes(1, svc.scope);
      for (const span of spans) ss.bytes(2, span);
      trace.message(1, this.#rs.reset().bytes(1, svc.resource).message(2, ss));
    }
    const entry: TraceEntry = { traceId, trace: trace.toBytes(), startUnixNano: Number(startNs), endUnixNano: Number(endNs), spanCount };
    return { entry, facts: { has503, slowCheckout, hasError } };
  }

  /** Writes the span's attributes; answers its http.status_code, if any. */
  #attributes(flavour: Flavour): number | undefined {
    const w = this.#span;
    const r = this.#random;
    let code: number | undefined;
    if (flavour === 'http') {
      code = this.#pick(HTTP_CODES);
      const route = this.#pick(ROUTES);
      w.raw(this.#pick(KV.method)).raw(KV.route[ROUTES.indexOf(route)]!).raw(KV.code.get(code as typeof HTTP_CODES[number])!);
      this.#dynamic('url.path', route.replace('{id}', String(Math.floor(r() * 1e6))));
      this.#dynamic('http.response_content_length', Math.floor(r() * 50_000));
    } else if (flavour === 'db') {
      const table = this.#pick(TABLES);
      w.raw(KV.dbSystem).raw(KV.table[TABLES.indexOf(table)]!).raw(this.#pick(KV.cacheHit));
      this.#dynamic('db.statement', `SELECT id, status, total FROM ${table} WHERE customer_id = ?`);
      this.#dynamic('db.rows', Math.floor(r() * 100));
    } else if (flavour === 'rpc') {
      w.raw(KV.rpcSystem).raw(this.#pick(KV.grpcCode));
      this.#dynamic('app.product.id', `OLJCESPC7Z${Math.floor(r() * 100)}`);
      this.#dynamic('app.product.price', Math.round(r() * 10000) / 100 + 0.5);
    } else {
      w.raw(this.#pick(KV.queue));
      this.#dynamic('messaging.message.id', Math.floor(r() * 2 ** 40).toString(16));
    }
    this.#dynamic('thread.id', 20 + Math.floor(r() * 200));
    return code;
  }

  #dynamic(key: string, v: string | number): void {
    const any = this.#any.reset();
    if (typeof v === 'string') any.string(1, v);
    else if (Number.isInteger(v)) any.uint(3, v);
    else any.double(4, v);
    this.#span.message(9, this.#kv.reset().string(1, key).message(2, any));
  }

  #event(spanStart: bigint): void {
    const ev = this.#tmp.reset().fixed64(1, spanStart + 1000n).string(2, 'exception');
    ev.raw(keyValueField(3, 'exception.type', this.#pick(['java.net.SocketTimeoutException', 'java.io.IOException'])));
    this.#span.message(11, ev);
  }
}
