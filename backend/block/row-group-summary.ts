import { TracelakeError } from '../../pipeline/errors.ts';
import { VALUE_DOUBLE, VALUE_INT } from './any-value-tags.ts';
import type { ByteSink } from './byte-sink.ts';
import type { ByteSource } from './byte-source.ts';

/** Least and greatest of some numbers (±Infinity when a NaN was among them: a range that rules nothing out). */
export interface NumberRange {
  readonly min: number;
  readonly max: number;
}

/** One span attribute column in brief: which value tags (any-value-tags.ts) it holds, and its number ranges. */
export interface AttributeSummary {
  /** Bit t set when some occurrence has tag t. */
  readonly tags: number;
  /** Of the ints (as the engine reads them, int64 rounded to a double); present when bit VALUE_INT is set. */
  readonly ints?: NumberRange;
  /** Of the doubles; present when bit VALUE_DOUBLE is set. */
  readonly doubles?: NumberRange;
}

/**
 * What the spans of a row group hold, in brief (index version 2): lets a search rule a group out from the
 * index alone (`{ duration > 5s }`, `{ status = error }`, `{ span.http.status_code >= 500 }`). Written only
 * for groups where every trace and span is modelled in the columns; it covers all their spans.
 */
export interface RowGroupSummary {
  /** Span durations (ns); undefined when one is not a plain value (end before start, ≥ 2^53, times ≥ 2^63). */
  readonly duration: NumberRange | undefined;
  /** Bit v set when some span's `span.status` value is v (0 = no status, else 1 + code); bit 31: some v ≥ 31. */
  readonly statuses: number;
  /** Bit k set when some span has kind k; bit 31: some kind ≥ 31. */
  readonly kinds: number;
  /** By column name (`span.attr:<key>`): the attribute columns holding something besides strings. */
  readonly attributes: ReadonlyMap<string, AttributeSummary>;
  /** Bloom filter (string-bloom.ts) of the span names; undefined when there are too many. */
  readonly names?: Uint32Array;
  /** Bloom filter of the resources' `service.name` string values; undefined when too many or unreadable. */
  readonly services?: Uint32Array;
}

/** The bit standing for small value v in a 32-bit presence mask (bit 31 = 31 or more). */
export function presenceBit(v: number): number {
  return (v < 31 ? 2 ** v : 2 ** 31);
}

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const HAS_DURATION = 1;

/** The summary as index bytes; `nameId` numbers an attribute column name in the index's name table. */
export function writeRowGroupSummary(sink: ByteSink, s: RowGroupSummary, nameId: (name: string) => number): void {
  sink.u(s.duration === undefined ? 0 : HAS_DURATION);
  if (s.duration !== undefined) {
    sink.u(s.duration.min);
    sink.u(s.duration.max);
  }
  sink.u(s.statuses);
  sink.u(s.kinds);
  sink.u(s.attributes.size);
  for (const [name, a] of s.attributes) {
    sink.u(nameId(name));
    sink.u(a.tags);
    if (a.ints !== undefined) writeRange(sink, a.ints);
    if (a.doubles !== undefined) writeRange(sink, a.doubles);
  }
  for (const bloom of [s.names, s.services]) {
    sink.u(bloom?.length ?? 0);
    if (bloom !== undefined) sink.raw(new Uint8Array(bloom.buffer, bloom.byteOffset, bloom.byteLength));
  }
}

/** The summary written by writeRowGroupSummary; TracelakeError when it names an unknown column. */
export function readRowGroupSummary(src: ByteSource, names: readonly string[]): RowGroupSummary {
  const flags = src.u();
  const duration = (flags & HAS_DURATION) !== 0 ? { min: src.u(), max: src.u() } : undefined;
  const statuses = src.u();
  const kinds = src.u();
  const attributes = new Map<string, AttributeSummary>();
  for (let count = src.u(); count > 0; count--) {
    const name = names[src.u()];
    if (name === undefined) throw new TracelakeError('row group summary names an unknown column');
    const tags = src.u();
    const ints = (tags & (1 << VALUE_INT)) !== 0 ? readRange(src) : undefined;
    const doubles = (tags & (1 << VALUE_DOUBLE)) !== 0 ? readRange(src) : undefined;
    attributes.set(name, { tags, ...(ints === undefined ? {} : { ints }), ...(doubles === undefined ? {} : { doubles }) });
  }
  const nameBloom = readBloom(src);
  const services = readBloom(src);
  return { duration, statuses, kinds, attributes, ...(nameBloom === undefined ? {} : { names: nameBloom }), ...(services === undefined ? {} : { services }) };
}

function readBloom(src: ByteSource): Uint32Array | undefined {
  const words = src.u();
  if (words === 0) return undefined;
  const bloom = new Uint32Array(words);
  new Uint8Array(bloom.buffer).set(src.take(words * 4));
  return bloom;
}

function writeRange(sink: ByteSink, r: NumberRange): void {
  for (const v of [r.min, r.max]) {
    f64[0] = v;
    sink.raw(f64Bytes);
  }
}

function readRange(src: ByteSource): NumberRange {
  f64Bytes.set(src.take(8));
  const min = f64[0];
  f64Bytes.set(src.take(8));
  return { min, max: f64[0] };
}
