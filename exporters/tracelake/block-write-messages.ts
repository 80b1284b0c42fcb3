import type { TraceEntry } from '../../backend/block/block-meta.ts';
import type { WriteBlockOptions } from '../../backend/block/write-block.ts';

/** A writeBlock call as posted to the block-writing thread: the entries packed into three transferable buffers. */
export interface WriteRequest {
  readonly id: number;
  readonly options: Omit<WriteBlockOptions, 'entries'>;
  /** 16 bytes per entry. */
  readonly ids: Uint8Array;
  /** Every entry's encoded trace, back to back. */
  readonly traces: Uint8Array;
  /** Per entry: trace length, startUnixNano, endUnixNano, spanCount. */
  readonly numbers: Float64Array;
}

export type WriteReply =
  | { readonly id: number; readonly meta: unknown }
  | { readonly id: number; readonly error: string };

const FIELDS = 4;

/** The request and the buffers to transfer with it (copied once, then moved, not cloned). */
export function packWriteRequest(id: number, options: WriteBlockOptions): { request: WriteRequest; transfer: ArrayBuffer[] } {
  const { entries, ...rest } = options;
  const ids = new Uint8Array(entries.length * 16);
  const numbers = new Float64Array(entries.length * FIELDS);
  let total = 0;
  for (const e of entries) total += e.trace.byteLength;
  const traces = new Uint8Array(total);
  let at = 0;
  entries.forEach((e, i) => {
    ids.set(e.traceId, i * 16);
    traces.set(e.trace, at);
    at += e.trace.byteLength;
    numbers.set([e.trace.byteLength, e.startUnixNano, e.endUnixNano, e.spanCount], i * FIELDS);
  });
  return { request: { id, options: rest, ids, traces, numbers }, transfer: [ids.buffer, traces.buffer, numbers.buffer] };
}

export function unpackWriteRequest(request: WriteRequest): WriteBlockOptions {
  const { ids, traces, numbers } = request;
  const entries: TraceEntry[] = [];
  let at = 0;
  for (let i = 0; i < numbers.length / FIELDS; i++) {
    const [length, startUnixNano, endUnixNano, spanCount] = numbers.subarray(i * FIELDS, (i + 1) * FIELDS);
    entries.push({
      traceId: ids.subarray(i * 16, (i + 1) * 16), trace: traces.subarray(at, at + length!),
      startUnixNano: startUnixNano!, endUnixNano: endUnixNano!, spanCount: spanCount!,
    });
    at += length!;
  }
  return { ...request.options, entries };
}
