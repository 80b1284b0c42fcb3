/** How many span groups (plus in-flight appends and queries) use each WAL segment. */
export class SegmentRefs {
  readonly #counts = new Map<number, number>();

  add(segment: number, n = 1): void {
    this.#counts.set(segment, (this.#counts.get(segment) ?? 0) + n);
  }

  remove(segment: number, n = 1): void {
    const left = (this.#counts.get(segment) ?? 0) - n;
    if (left > 0) this.#counts.set(segment, left);
    else this.#counts.delete(segment);
  }

  isUsed(segment: number): boolean {
    return this.#counts.has(segment);
  }
}
