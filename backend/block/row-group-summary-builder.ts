import { VALUE_DOUBLE, VALUE_INT, VALUE_STRING } from './any-value-tags.ts';
import { resourceServiceNames } from './resource-service-names.ts';
import { type AttributeSummary, type NumberRange, type RowGroupSummary } from './row-group-summary.ts';
import { ByteSource } from './byte-source.ts';
import { StringBloomBuilder, stringHash, utf8Hash } from './string-bloom.ts';
import { StringColumnReader } from './string-column.ts';

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
/** High half of a time below 2^63 − 2^32, and of a duration below 2^53. */
const EARLY_HI = 0x7fffffff;
const DURATION_HI = 0x200000;

class Range {
  min = Infinity;
  max = -Infinity;

  add(v: number): void {
    if (Number.isNaN(v)) {
      this.min = -Infinity;
      this.max = Infinity;
      return;
    }
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  value(): NumberRange {
    return { min: this.min, max: this.max };
  }
}

interface AttributeStats {
  tags: number;
  readonly ints: Range;
  readonly doubles: Range;
}

/**
 * Gathers a row group's summary (row-group-summary.ts) while RowGroupBuilder writes its columns: it sees
 * each value once, on its way into a column. A trace or span kept as bytes voids the summary.
 */
export class RowGroupSummaryBuilder {
  #void = false;
  #durations = new Range();
  #plainDurations = true;
  #statuses = 0;
  #kinds = 0;
  readonly #attributes: AttributeStats[] = [];
  #spans = 0;

  /** A trace or span kept as bytes: its fields are not in the columns, so nothing can be ruled out. */
  voidSummary(): void {
    this.#void = true;
  }

  /** A modelled span; the duration as end − start wrapped to 64 bits (low, high halves), and the start's and end's high halves. */
  span(kind: number, status: number, duration: { lo: number; hi: number }, timesHi: number): void {
    this.#spans++;
    // Signed 32-bit masks while gathering (made unsigned in finish): bit 31 is 1 << 31.
    this.#kinds |= kind < 31 ? 1 << kind : 1 << 31;
    this.#statuses |= status < 31 ? 1 << status : 1 << 31;
    if (timesHi >= EARLY_HI || duration.hi >= DURATION_HI) this.#plainDurations = false;
    else this.#durations.add(duration.hi * 2 ** 32 + duration.lo);
  }

  /** An occurrence of key `id` with value tag `tag`. */
  tag(id: number, tag: number): void {
    // Key ids are numbered from 0 as keys first occur.
    if (id === this.#attributes.length) this.#attributes.push({ tags: 0, ints: new Range(), doubles: new Range() });
    this.#attributes[id].tags |= 1 << tag;
  }

  /** An int occurrence of key `id` (after tag()): the varint's two's complement halves. */
  int(id: number, lo: number, hi: number): void {
    this.#attributes[id].ints.add((hi | 0) * 2 ** 32 + (lo >>> 0));
  }

  /** A double occurrence of key `id` (after tag()): its 8 little-endian bytes at `at`. */
  double(id: number, buf: Uint8Array, at: number): void {
    for (let i = 0; i < 8; i++) f64Bytes[i] = buf[at + i];
    this.#attributes[id].doubles.add(f64[0]);
  }

  /**
   * The summary, or undefined when voided; `columnName` names key id's attribute column, `resources` are the
   * group's `dict.resource` entries, `names` its finished `span.name` column.
   */
  finish(columnName: (id: number) => string, resources: Iterable<Uint8Array>, names: Uint8Array): RowGroupSummary | undefined {
    if (this.#void) return undefined;
    const attributes = new Map<string, AttributeSummary>();
    this.#attributes.forEach((a, id) => {
      if (a.tags === 1 << VALUE_STRING) return; // strings alone: nothing a range can rule out
      attributes.set(columnName(id), {
        tags: a.tags,
        ...((a.tags & (1 << VALUE_INT)) !== 0 ? { ints: a.ints.value() } : {}),
        ...((a.tags & (1 << VALUE_DOUBLE)) !== 0 ? { doubles: a.doubles.value() } : {}),
      });
    });
    const duration = this.#plainDurations ? (this.#durations.min <= this.#durations.max ? this.#durations.value() : { min: 0, max: 0 }) : undefined;
    const nameBloom = this.#nameBloom(names);
    const services = serviceBloom(resources);
    return {
      duration, statuses: this.#statuses >>> 0, kinds: this.#kinds >>> 0, attributes,
      ...(nameBloom === undefined ? {} : { names: nameBloom }), ...(services === undefined ? {} : { services }),
    };
  }

  /** From the column's dictionary (distinct names) when it has one: hashing once per span costs ~8 % of the build. */
  #nameBloom(column: Uint8Array): Uint32Array | undefined {
    const bloom = new StringBloomBuilder();
    const reader = new StringColumnReader(new ByteSource(column));
    const hash = (v: Uint8Array): void => bloom.add(utf8Hash(v, 0, v.length));
    if (reader.dictionary !== undefined) reader.dictionary.forEach(hash);
    else for (let s = 0; s < this.#spans && !bloom.full; s++) hash(reader.next());
    return bloom.finish();
  }
}

function serviceBloom(resources: Iterable<Uint8Array>): Uint32Array | undefined {
  const bloom = new StringBloomBuilder();
  for (const entry of resources) {
    const names = resourceServiceNames(entry);
    if (names === undefined) return undefined;
    for (const name of names) bloom.add(stringHash(name));
  }
  return bloom.finish();
}
