import { crc32, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { TracelakeError } from '../../pipeline/errors.ts';
import { ByteSink } from './byte-sink.ts';
import { ByteSource } from './byte-source.ts';
import { readRowGroupSummary, writeRowGroupSummary, type RowGroupSummary } from './row-group-summary.ts';
import { compareTraceIdAt, TRACE_ID_BYTES } from './trace-id.ts';

/** How a frame's bytes are stored in the data object. */
export const CODEC_NONE = 0;
export const CODEC_ZSTD = 1;

/**
 * A compressed frame of a row group: one big column, or several small ones bundled (decompressing a frame
 * has a fixed cost of tens of µs, so a lookup decompresses about ten frames rather than fifty columns).
 */
export interface FrameRef {
  /** Offset from the row group's start, stored length, length once decompressed. */
  readonly offset: number;
  readonly length: number;
  readonly rawLength: number;
  readonly codec: number;
}

/** One column of a row group: which frame holds it, and where inside the decompressed frame. */
export interface ColumnRef {
  readonly name: string;
  readonly frame: number;
  readonly offset: number;
  readonly length: number;
}

/** One row group of the data object: whole traces, sorted by trace ID, stored column by column. */
export interface RowGroupRef {
  readonly firstId: Uint8Array;
  readonly lastId: Uint8Array;
  /** Byte range of the row group in the data object: one ranged read gets every column. */
  readonly offset: number;
  readonly length: number;
  readonly traces: number;
  readonly spans: number;
  /** Unix ms: earliest span start, latest span end (for skipping row groups by time). */
  readonly startMs: number;
  readonly endMs: number;
  readonly frames: readonly FrameRef[];
  readonly columns: readonly ColumnRef[];
  /** What its spans hold, in brief (index version 2); undefined when not written (a trace or span kept as bytes, version 1). */
  readonly summary?: RowGroupSummary;
}

// Header: magic "TL2I", version u8, 3 reserved, crc32 of the uncompressed body u32, body length u32;
// then the body as one zstd frame: column names, then each row group: first/last trace ID, offset, length,
// traces, spans, start/end ms, its frames (codec, length, raw length), its columns (name id, frame, length);
// version 2 adds the group's summary (row-group-summary.ts) as length-prefixed bytes, empty when it has none.
const MAGIC = 0x49324c54; // "TL2I" little-endian
/** The index version written; version 1 (no summaries) is still read. */
export const ROW_GROUP_INDEX_VERSION = 2;
const HEADER_BYTES = 16;

/** The index object of a tl2 block; `version` 1 only to make blocks as older writers did (tests, benchmarks). */
export function encodeRowGroupIndex(groups: readonly RowGroupRef[], version = ROW_GROUP_INDEX_VERSION): Uint8Array {
  const names = new Map<string, number>();
  const nameId = (name: string): number => {
    let id = names.get(name);
    if (id === undefined) names.set(name, (id = names.size));
    return id;
  };
  for (const g of groups) {
    for (const c of g.columns) nameId(c.name);
    if (version >= 2 && g.summary !== undefined) for (const name of g.summary.attributes.keys()) nameId(name);
  }
  const summary = new ByteSink(256);
  const body = new ByteSink(4096);
  body.u(names.size);
  const utf8 = new TextEncoder();
  for (const name of names.keys()) body.bytes(utf8.encode(name));
  body.u(groups.length);
  for (const g of groups) {
    body.raw(g.firstId);
    body.raw(g.lastId);
    for (const n of [g.offset, g.length, g.traces, g.spans, g.startMs, g.endMs, g.frames.length]) body.u(n);
    for (const f of g.frames) {
      body.u(f.codec);
      body.u(f.length);
      body.u(f.rawLength);
    }
    body.u(g.columns.length);
    for (const c of g.columns) {
      body.u(names.get(c.name)!);
      body.u(c.frame);
      body.u(c.length);
    }
    if (version < 2) continue;
    summary.reset();
    if (g.summary !== undefined) writeRowGroupSummary(summary, g.summary, nameId);
    body.bytes(summary.view());
  }
  const plain = body.view();
  const packed = zstdCompressSync(plain);
  const out = new Uint8Array(HEADER_BYTES + packed.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint8(4, version);
  view.setUint32(8, crc32(plain), true);
  view.setUint32(12, plain.length, true);
  out.set(packed, HEADER_BYTES);
  return out;
}

/**
 * The row group index of a tl2 block, cached by readers: group ranges decoded up front for the binary search,
 * each group's column directory decoded when the group is read (a reader caches thousands of indexes).
 */
export class RowGroupIndex {
  readonly groupCount: number;
  /** 1: no row group summaries; 2: summaries. */
  readonly version: number;
  /** Bytes the decoded index holds, roughly: what the reader's cache charges for it. */
  readonly byteSize: number;
  readonly #plain: Uint8Array;
  readonly #names: string[];
  readonly #ids: Uint8Array;
  readonly #fields: Float64Array;

  /** Checks magic, version, checksum and shape; throws TracelakeError on a corrupt index. */
  constructor(bytes: Uint8Array) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < HEADER_BYTES || view.getUint32(0, true) !== MAGIC) throw new TracelakeError('not a row group index');
    this.version = view.getUint8(4);
    if (this.version !== 1 && this.version !== 2) throw new TracelakeError(`unsupported row group index version ${this.version}`);
    const plainLength = view.getUint32(12, true);
    let plain: Uint8Array;
    try {
      plain = zstdDecompressSync(bytes.subarray(HEADER_BYTES), { maxOutputLength: Math.max(1, plainLength) });
    } catch (err) {
      throw new TracelakeError(`row group index does not decompress: ${(err as Error).message}`, { cause: err });
    }
    if (plain.length !== plainLength || crc32(plain) !== view.getUint32(8, true)) throw new TracelakeError('row group index checksum mismatch');
    const src = new ByteSource(plain);
    const utf8 = new TextDecoder();
    this.#names = Array.from({ length: src.u() }, () => utf8.decode(src.bytes()));
    this.groupCount = src.u();
    this.#ids = new Uint8Array(this.groupCount * 2 * TRACE_ID_BYTES);
    this.#fields = new Float64Array(this.groupCount * FIELDS);
    for (let g = 0; g < this.groupCount; g++) {
      this.#ids.set(src.take(2 * TRACE_ID_BYTES), g * 2 * TRACE_ID_BYTES);
      for (let f = 0; f < FIELDS - 1; f++) this.#fields[g * FIELDS + f] = src.u();
      this.#fields[g * FIELDS + 7] = src.pos;
      for (let c = this.#fields[g * FIELDS + 6] * 3; c > 0; c--) src.skipVarint();
      for (let c = src.u() * 3; c > 0; c--) src.skipVarint();
      if (this.version >= 2) src.skipBytes();
    }
    if (!src.done()) throw new TracelakeError('row group index has trailing bytes');
    this.#plain = plain;
    this.byteSize = plain.length + this.#fields.byteLength + this.#ids.length + 1024;
  }

  /** Index of the row group whose [first, last] ID range holds `traceId`, or -1. */
  find(traceId: Uint8Array): number {
    let lo = 0;
    let hi = this.groupCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = mid * 2 * TRACE_ID_BYTES;
      if (compareTraceIdAt(traceId, this.#ids, at) < 0) hi = mid - 1;
      else if (compareTraceIdAt(traceId, this.#ids, at + TRACE_ID_BYTES) > 0) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  group(g: number): RowGroupRef {
    const at = g * 2 * TRACE_ID_BYTES;
    const f = this.#fields.subarray(g * FIELDS, (g + 1) * FIELDS);
    const src = new ByteSource(this.#plain, f[7]);
    const frames: FrameRef[] = [];
    let offset = 0;
    for (let i = 0; i < f[6]; i++) {
      const codec = src.u();
      const length = src.u();
      frames.push({ offset, length, rawLength: src.u(), codec });
      offset += length;
    }
    if (offset !== f[1]) throw new TracelakeError(`row group at ${f[0]}: frames hold ${offset} bytes, the group ${f[1]}`);
    const columns: ColumnRef[] = [];
    const used = new Array<number>(frames.length).fill(0);
    for (let count = src.u(); count > 0; count--) {
      const name = this.#names[src.u()];
      const frame = src.u();
      const length = src.u();
      if (name === undefined || frame >= frames.length) throw new TracelakeError('row group index names an unknown column or frame');
      columns.push({ name, frame, offset: used[frame], length });
      used[frame] += length;
    }
    if (used.some((n, i) => n !== frames[i].rawLength)) throw new TracelakeError(`row group at ${f[0]}: columns do not fill their frames`);
    const summary = this.#summary(src);
    return {
      ...(summary === undefined ? {} : { summary }),
      firstId: this.#ids.subarray(at, at + TRACE_ID_BYTES), lastId: this.#ids.subarray(at + TRACE_ID_BYTES, at + 2 * TRACE_ID_BYTES),
      offset: f[0], length: f[1], traces: f[2], spans: f[3], startMs: f[4], endMs: f[5], frames, columns,
    };
  }

  #summary(src: ByteSource): RowGroupSummary | undefined {
    if (this.version < 2) return undefined;
    const bytes = src.bytes();
    if (bytes.length === 0) return undefined;
    const summaryBytes = new ByteSource(bytes);
    const summary = readRowGroupSummary(summaryBytes, this.#names);
    if (!summaryBytes.done()) throw new TracelakeError('row group summary has trailing bytes');
    return summary;
  }
}

/** Per group: offset, length, traces, spans, startMs, endMs, frame count, where its frames start. */
const FIELDS = 8;
