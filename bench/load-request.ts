import { randomBytes, randomFillSync } from 'node:crypto';

/**
 * A prebuilt OTLP ExportTraceServiceRequest whose per-trace bytes (IDs, times, a request ID) are rewritten
 * in place before each send, so a load generator spends its time sending, not encoding. The protobuf is
 * written here by hand, with no dependency on Tracelake's codec.
 */

// ---- a minimal protobuf writer ----

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}
const key = (field: number, wire: number): Buffer => varint((field << 3) | wire);
const len = (field: number, bytes: Buffer): Buffer => Buffer.concat([key(field, 2), varint(bytes.length), bytes]);
const str = (field: number, s: string): Buffer => len(field, Buffer.from(s, 'utf8'));
const uint = (field: number, n: number): Buffer => Buffer.concat([key(field, 0), varint(n)]);
function fixed64(field: number, n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return Buffer.concat([key(field, 1), b]);
}
function double(field: number, n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(n);
  return Buffer.concat([key(field, 1), b]);
}

type AttrValue = string | number | boolean;
function anyValue(v: AttrValue): Buffer {
  if (typeof v === 'string') return str(1, v);
  if (typeof v === 'boolean') return uint(2, v ? 1 : 0);
  return Number.isInteger(v) ? uint(3, v) : double(4, v);
}
const keyValue = (k: string, v: AttrValue): Buffer => Buffer.concat([str(1, k), len(2, anyValue(v))]);
const attributes = (field: number, attrs: Record<string, AttrValue>): Buffer[] =>
  Object.entries(attrs).map(([k, v]) => len(field, keyValue(k, v)));

// ---- the request ----

/** Where one span's per-request bytes sit in the body. */
interface SpanSlots {
  readonly traceId: number;
  readonly spanId: number;
  /** -1 for a trace's root span. */
  readonly parentId: number;
  readonly start: number;
  readonly end: number;
  readonly eventTime: number;
  /** 16 hex characters. */
  readonly requestId: number;
  readonly durationNs: bigint;
}

export interface LoadRequest {
  /** An encoded ExportTraceServiceRequest. */
  readonly body: Buffer;
  /** Per trace, its spans' slots; the root span first. */
  readonly traces: readonly (readonly SpanSlots[])[];
  readonly spans: number;
  /** Encoded size of one span message (without its field header). */
  readonly spanBytes: number;
}

export interface RequestShape {
  readonly spans: number;
  readonly spansPerTrace: number;
  /** Target encoded size of one span. */
  readonly spanBytes: number;
}

interface SpanSpec { readonly index: number; readonly isRoot: boolean; readonly padding: number }

// Placeholders, found with indexOf once and overwritten before every send.
const TRACE_ID = Buffer.alloc(16, 0xee);
const SPAN_ID = Buffer.alloc(8, 0xa5);
const PARENT_ID = Buffer.alloc(8, 0x5a);
const START = 0x1111111111111111n;
const END = 0x2222222222222222n;
const EVENT_TIME = 0x3333333333333333n;
const REQUEST_ID = 'RQRQRQRQRQRQRQRQ';
const QUERY = 'SELECT id, sku, qty, price, updated_at FROM stock_items WHERE sku = $1 AND warehouse_id = $2 FOR UPDATE; ';

function encodeSpan(s: SpanSpec): Buffer {
  return Buffer.concat([
    len(1, TRACE_ID),
    len(2, SPAN_ID),
    ...(s.isRoot ? [] : [len(4, PARENT_ID)]),
    str(5, s.isRoot ? 'POST /api/v1/checkout' : `SELECT shop.stock_items ${s.index % 7}`),
    uint(6, s.isRoot ? 2 : 3),
    fixed64(7, START),
    fixed64(8, END),
    ...attributes(9, {
      'http.request.method': 'POST',
      'url.full': `https://shop.example.com/api/v1/checkout/items/${s.index}?currency=EUR`,
      'http.route': '/api/v1/checkout/items/{id}',
      'http.response.status_code': 200,
      'network.peer.address': `10.12.${s.index % 8}.31`,
      'app.request.id': REQUEST_ID,
      'app.cache.hit': s.index % 3 === 0,
      'db.query.text': QUERY.repeat(Math.ceil(s.padding / QUERY.length) + 1).slice(0, s.padding),
    }),
    len(11, Buffer.concat([fixed64(1, EVENT_TIME), str(2, 'cache.lookup'), ...attributes(3, { 'cache.key': `item:${s.index}` })])),
    len(15, uint(3, 1)),
  ]);
}

function sizedSpan(index: number, isRoot: boolean, target: number): Buffer {
  const base = encodeSpan({ index, isRoot, padding: 0 });
  // Padding grows a string field; re-encode once more if its length varint grew by a byte.
  let padding = Math.max(0, target - base.length);
  let span = encodeSpan({ index, isRoot, padding });
  if (span.length > target && padding > 0) span = encodeSpan({ index, isRoot, padding: (padding -= span.length - target) });
  return span;
}

function u64le(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
}

function slotsOf(span: Buffer, at: number, index: number): SpanSlots {
  const find = (needle: Buffer | string): number => {
    const i = span.indexOf(needle);
    if (i < 0) throw new Error('placeholder not found');
    return at + i;
  };
  return {
    traceId: find(TRACE_ID),
    spanId: find(SPAN_ID),
    parentId: span.includes(PARENT_ID) ? find(PARENT_ID) : -1,
    start: find(u64le(START)),
    end: find(u64le(END)),
    eventTime: find(u64le(EVENT_TIME)),
    requestId: find(REQUEST_ID),
    durationNs: 1_250_000n + BigInt(index % 97) * 10_000n,
  };
}

export function buildRequest(shape: RequestShape): LoadRequest {
  const resource = len(1, Buffer.concat(attributes(1, {
    'service.name': 'bench-checkout',
    'service.version': '1.4.2',
    'host.name': 'bench-host-01',
    'telemetry.sdk.language': 'nodejs',
  })));
  const scope = len(1, Buffer.concat([str(1, 'tracelake-bench'), str(2, '1.0.0')]));
  const spans: Buffer[] = [];
  const spanFields: Buffer[] = [];
  for (let i = 0; i < shape.spans; i++) {
    spans.push(sizedSpan(i, i % shape.spansPerTrace === 0, shape.spanBytes));
    spanFields.push(len(2, spans[i]!));
  }
  const scopeSpans = Buffer.concat([scope, ...spanFields]);
  const body = len(1, Buffer.concat([resource, len(2, scopeSpans)]));
  const traces: SpanSlots[][] = [];
  let at = body.length - scopeSpans.length + scope.length; // scope_spans is the last field: its content ends the body
  spans.forEach((span, i) => {
    at += spanFields[i]!.length - span.length;
    (traces[Math.floor(i / shape.spansPerTrace)] ??= []).push(slotsOf(span, at, i));
    at += span.length;
  });
  return { body, traces, spans: shape.spans, spanBytes: spans.at(-1)?.length ?? 0 };
}

/**
 * Makes a prebuilt request look like fresh traffic, in place: unique trace IDs (8 random bytes per
 * generator, then a counter), random span IDs and request IDs, timestamps of now.
 */
export class TraceIdSource {
  readonly #prefix = randomBytes(8);
  #next = 1n;
  #random = Buffer.alloc(0);

  /** Returns the new trace IDs (hex). */
  stamp(req: LoadRequest): string[] {
    if (this.#random.length !== req.spans * 16) this.#random = Buffer.alloc(req.spans * 16);
    randomFillSync(this.#random);
    const body = req.body;
    const now = BigInt(Date.now()) * 1_000_000n;
    let r = 0;
    return req.traces.map((spans) => {
      const id = Buffer.alloc(16);
      this.#prefix.copy(id, 0);
      id.writeBigUInt64BE(this.#next++, 8);
      const rootId = this.#random.subarray(r, r + 8);
      spans.forEach((s, i) => {
        id.copy(body, s.traceId);
        this.#random.copy(body, s.spanId, r, r + 8);
        if (s.parentId >= 0) rootId.copy(body, s.parentId);
        body.write(this.#random.toString('hex', r + 8, r + 16), s.requestId, 'latin1');
        const start = now - 5_000_000n + BigInt(i) * 20_000n;
        body.writeBigUInt64LE(start, s.start);
        body.writeBigUInt64LE(start + s.durationNs, s.end);
        body.writeBigUInt64LE(start + 400_000n, s.eventTime);
        r += 16;
      });
      return id.toString('hex');
    });
  }
}
