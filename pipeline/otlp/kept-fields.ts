const EMPTY = new Uint8Array(0);

/**
 * The byte ranges of a message's fields that are kept encoded (everything but its children): one view when
 * they are contiguous, else one concatenation, so the common case copies nothing.
 */
export class KeptFields {
  private readonly ranges: number[] = [];

  add(start: number, end: number): void {
    const n = this.ranges.length;
    if (n > 0 && this.ranges[n - 1] === start) this.ranges[n - 1] = end;
    else this.ranges.push(start, end);
  }

  bytes(buf: Uint8Array): Uint8Array {
    const ranges = this.ranges;
    if (ranges.length === 0) return EMPTY;
    if (ranges.length === 2) return buf.subarray(ranges[0], ranges[1]);
    let size = 0;
    for (let i = 0; i < ranges.length; i += 2) size += ranges[i + 1] - ranges[i];
    const out = new Uint8Array(size);
    let pos = 0;
    for (let i = 0; i < ranges.length; i += 2) {
      out.set(buf.subarray(ranges[i], ranges[i + 1]), pos);
      pos += ranges[i + 1] - ranges[i];
    }
    return out;
  }
}
