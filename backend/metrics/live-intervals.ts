/** Ranges kept at most: a job names them in a querier's URL. Closer ranges are joined beyond that. */
const MAX_RANGES = 64;

/**
 * The grid intervals holding spans the live job counted, as inclusive ranges of interval indexes. A block
 * job holds back its spans in these intervals (they may be live spans flushed since) for the merge to
 * check against the live keys; it adds the others at once. Joining ranges only holds back more spans.
 */
export class LiveIntervals {
  /** No live spans: a block job holds nothing back. */
  static readonly NONE = new LiveIntervals([]);
  readonly #ranges: readonly (readonly [number, number])[];

  private constructor(ranges: readonly (readonly [number, number])[]) {
    this.#ranges = ranges;
  }

  /** The ranges covering `intervals` (any order, repeats allowed). */
  static of(intervals: Iterable<number>): LiveIntervals {
    const sorted = [...new Set(intervals)].sort((a, b) => a - b);
    const ranges: [number, number][] = [];
    for (const i of sorted) {
      const last = ranges[ranges.length - 1];
      if (last !== undefined && last[1] === i - 1) last[1] = i;
      else ranges.push([i, i]);
    }
    while (ranges.length > MAX_RANGES) {
      let best = 1;
      for (let r = 2; r < ranges.length; r++) if (ranges[r]![0] - ranges[r - 1]![1] < ranges[best]![0] - ranges[best - 1]![1]) best = r;
      ranges[best - 1]![1] = ranges[best]![1];
      ranges.splice(best, 1);
    }
    return new LiveIntervals(ranges);
  }

  /** Reads text() back; undefined when it is not such text. */
  static parse(text: string): LiveIntervals | undefined {
    if (text === '') return LiveIntervals.NONE;
    const ranges: [number, number][] = [];
    for (const part of text.split(',')) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(part);
      if (m === null) return undefined;
      ranges.push([Number(m[1]), Number(m[2] ?? m[1])]);
    }
    return new LiveIntervals(ranges);
  }

  /** Whether interval `i` may hold live spans. */
  has(i: number): boolean {
    let lo = 0;
    let hi = this.#ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [from, to] = this.#ranges[mid]!;
      if (i < from) hi = mid - 1;
      else if (i > to) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** `3-10,57`: the ranges as text, for a URL or a thread message. */
  text(): string {
    return this.#ranges.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(',');
  }
}
