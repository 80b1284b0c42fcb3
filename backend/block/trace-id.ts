/** Trace IDs as the block format sees them: 16 bytes, ordered bytewise, shown as 32 lowercase hex digits. */
export const TRACE_ID_BYTES = 16;

export function compareTraceIds(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < TRACE_ID_BYTES; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return 0;
}

/** Compares `id` with the 16 bytes of `buf` at `offset`, without making a view. */
export function compareTraceIdAt(id: Uint8Array, buf: Uint8Array, offset: number): number {
  for (let i = 0; i < TRACE_ID_BYTES; i++) {
    if (id[i] !== buf[offset + i]) return id[i] - buf[offset + i];
  }
  return 0;
}

export function traceIdToHex(id: Uint8Array): string {
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex');
}
