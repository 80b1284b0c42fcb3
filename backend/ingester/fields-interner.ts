/** One distinct ResourceSpans or ScopeSpans `fields` value, shared by every span group that uses it. */
export interface Interned {
  readonly bytes: Uint8Array;
  readonly key: string;
  /** Span groups holding it; the interner forgets it at zero. */
  refs: number;
}

/**
 * Resource and scope fields kept in memory once per distinct value: a service sends the same resource
 * with every batch, so this costs a few KiB, spares a WAL read per group, and lets a trace be grouped by
 * resource and scope by identity.
 */
export class FieldsInterner {
  readonly #entries = new Map<string, Interned>();

  /** The shared copy of `bytes`; the caller takes a reference (`refs++`) for each group it creates. */
  intern(bytes: Uint8Array): Interned {
    const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = { bytes: bytes.slice(), key, refs: 0 };
      this.#entries.set(key, entry);
    }
    return entry;
  }

  release(entry: Interned): void {
    entry.refs--;
    if (entry.refs <= 0) this.#entries.delete(entry.key);
  }
}
