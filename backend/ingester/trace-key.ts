/** A trace ID as a Map key: its 16 bytes as a latin1 string (cheap to build, compares in byte order). */
export function traceKey(id: Uint8Array): string {
  return String.fromCharCode(
    id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7],
    id[8], id[9], id[10], id[11], id[12], id[13], id[14], id[15],
  );
}

/** The 16 bytes back from a key. */
export function traceIdOf(key: string): Uint8Array {
  return Buffer.from(key, 'latin1');
}
