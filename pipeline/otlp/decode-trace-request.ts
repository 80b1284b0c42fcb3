import { makeBatch } from '../trace-batch.ts';
import type { ResourceSpansRecord, ScopeSpansRecord, SpanRecord, TraceBatch } from '../trace-batch.ts';
import { KeptFields } from './kept-fields.ts';
import { MessageValidator } from './message-validator.ts';
import { rethrowWithin } from './payload-error.ts';
import { ProtoReader } from './proto-reader.ts';
import { SCHEMAS } from './schema.ts';

export interface DecodedRequest {
  batch: TraceBatch;
  /** Spans left out because their trace or span ID is invalid. */
  rejectedSpans: number;
  /** Why, for ExportTracePartialSuccess.error_message; set when rejectedSpans > 0. */
  rejectReason?: string;
}

// Tags (field << 3 | wire type) of the fields the walk reads; everything else goes to the validator.
const TAG_RESOURCE_SPANS = 0x0a; // 1, length-delimited
const TAG_SCOPE_SPANS = 0x12; // 2, length-delimited
const TAG_SPANS = 0x12; // 2, length-delimited
const TAG_TRACE_ID = 0x0a; // 1, length-delimited
const TAG_SPAN_ID = 0x12; // 2, length-delimited
const TAG_START_TIME = 0x39; // 7, fixed64
const TAG_END_TIME = 0x41; // 8, fixed64

const { TracesData, ResourceSpans, ScopeSpans, Span } = SCHEMAS;
const NO_ID = new Uint8Array(0);

/**
 * Decodes an ExportTraceServiceRequest / TracesData in one pass without copying span bytes: each span is
 * a view into `buf` with its IDs and times read; the rest of the payload is validated structurally and
 * kept encoded. Throws PermanentError (PayloadError) naming the path of the first malformed field.
 * Spans with invalid IDs are left out and counted.
 */
export function decodeTraceRequest(buf: Uint8Array): DecodedRequest {
  const decoder = new TraceRequestDecoder(buf);
  const resourceSpans = decoder.request();
  const result: DecodedRequest = { batch: makeBatch(resourceSpans), rejectedSpans: decoder.rejected };
  if (decoder.rejected > 0) result.rejectReason = decoder.rejectReason();
  return result;
}

class TraceRequestDecoder {
  readonly buf: Uint8Array;
  readonly r: ProtoReader;
  readonly validator: MessageValidator;
  rejected = 0;
  private firstRejected = '';
  /** Why the last span read by `span()` was invalid. */
  private problem = '';
  private rsIndex = 0;
  private ssIndex = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.r = new ProtoReader(buf);
    this.validator = new MessageValidator(this.r);
  }

  rejectReason(): string {
    const more = this.rejected > 1 ? ` (and ${this.rejected - 1} more)` : '';
    return `${this.rejected} span(s) with an invalid trace or span ID were dropped; first: ${this.firstRejected}${more}`;
  }

  request(): ResourceSpansRecord[] {
    const r = this.r;
    const out: ResourceSpansRecord[] = [];
    while (r.pos < r.limit) {
      const tag = r.tag();
      if (tag !== TAG_RESOURCE_SPANS) {
        this.validator.field(tag, TracesData, 0); // unknown top-level fields have nowhere to go: dropped
        continue;
      }
      const end = r.lengthEnd();
      try {
        const rs = this.resourceSpans(end);
        if (rs !== undefined) out.push(rs);
      } catch (err) {
        rethrowWithin(err, `resource_spans[${this.rsIndex}]`);
      }
      this.rsIndex++;
    }
    return out;
  }

  private resourceSpans(end: number): ResourceSpansRecord | undefined {
    const r = this.r;
    const start = r.pos;
    const outer = r.enter(end);
    const kept = new KeptFields();
    const scopeSpans: ScopeSpansRecord[] = [];
    let hadChildren = false;
    this.ssIndex = 0;
    while (r.pos < end) {
      const fieldStart = r.pos;
      const tag = r.tag();
      if (tag !== TAG_SCOPE_SPANS) {
        this.validator.field(tag, ResourceSpans, start);
        kept.add(fieldStart, r.pos);
        continue;
      }
      hadChildren = true;
      const ssEnd = r.lengthEnd();
      try {
        const ss = this.scopeSpans(ssEnd);
        if (ss !== undefined) scopeSpans.push(ss);
      } catch (err) {
        rethrowWithin(err, `scope_spans[${this.ssIndex}]`);
      }
      this.ssIndex++;
    }
    r.leave(outer);
    // Dropped only when emptied by invalid spans: one that came empty stays, so re-encoding is exact.
    if (hadChildren && scopeSpans.length === 0) return undefined;
    return { fields: kept.bytes(this.buf), scopeSpans };
  }

  private scopeSpans(end: number): ScopeSpansRecord | undefined {
    const r = this.r;
    const start = r.pos;
    const outer = r.enter(end);
    const kept = new KeptFields();
    const spans: SpanRecord[] = [];
    let index = 0;
    while (r.pos < end) {
      const fieldStart = r.pos;
      const tag = r.tag();
      if (tag !== TAG_SPANS) {
        this.validator.field(tag, ScopeSpans, start);
        kept.add(fieldStart, r.pos);
        continue;
      }
      const spanEnd = r.lengthEnd();
      try {
        const span = this.span(spanEnd);
        if (span !== undefined) spans.push(span);
        else this.reject(index);
      } catch (err) {
        rethrowWithin(err, `spans[${index}]`);
      }
      index++;
    }
    r.leave(outer);
    if (index > 0 && spans.length === 0) return undefined;
    return { fields: kept.bytes(this.buf), spans };
  }

  /** Reads one Span; undefined when its IDs are invalid (the rest is still validated). */
  private span(end: number): SpanRecord | undefined {
    const r = this.r;
    const start = r.pos;
    const outer = r.enter(end);
    let traceId: Uint8Array | undefined;
    let spanId: Uint8Array | undefined;
    let startUnixNano = 0;
    let endUnixNano = 0;
    while (r.pos < end) {
      const tag = r.tag();
      if (tag === TAG_TRACE_ID) traceId = r.bytes();
      else if (tag === TAG_SPAN_ID) spanId = r.bytes();
      else if (tag === TAG_START_TIME) startUnixNano = r.fixed64();
      else if (tag === TAG_END_TIME) endUnixNano = r.fixed64();
      else this.validator.field(tag, Span, start);
    }
    r.leave(outer);
    if (traceId === undefined || spanId === undefined || !validIds(traceId, spanId)) {
      this.problem = idProblem(traceId, spanId);
      return undefined;
    }
    return { bytes: r.view(start, end), traceId, spanId, startUnixNano, endUnixNano };
  }

  private reject(spanIndex: number): void {
    if (this.rejected++ === 0) {
      this.firstRejected =
        `resource_spans[${this.rsIndex}].scope_spans[${this.ssIndex}].spans[${spanIndex}]: ${this.problem}`;
    }
  }
}

function validIds(traceId: Uint8Array, spanId: Uint8Array): boolean {
  return traceId.length === 16 && spanId.length === 8 && !isZero(traceId) && !isZero(spanId);
}

function isZero(id: Uint8Array): boolean {
  for (let i = 0; i < id.length; i++) if (id[i] !== 0) return false;
  return true;
}

function idProblem(traceId: Uint8Array = NO_ID, spanId: Uint8Array = NO_ID): string {
  if (traceId.length !== 16) return `trace_id is ${traceId.length} bytes, expected 16`;
  if (isZero(traceId)) return 'trace_id is all zeros';
  const spanLen = spanId.length;
  if (spanLen !== 8) return `span_id is ${spanLen} bytes, expected 8`;
  return 'span_id is all zeros';
}
