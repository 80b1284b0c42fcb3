import { constants, createZstdCompress, type ZstdCompress } from 'node:zlib';

/**
 * Compresses pages into independent zstd frames through ONE zstd context per block. A context per page
 * (zstdCompressSync) is freed only at garbage collection: ~+150 MiB of native memory per 100 MiB block,
 * against +4 MiB here, and 40% less time (200 pages of 512 KiB: 66 ms vs 107 ms).
 */
export class PageCompressor {
  readonly #zstd: ZstdCompress;

  constructor(level: number) {
    // The frame checksum turns a flipped bit at rest into an error instead of a wrong trace.
    this.#zstd = createZstdCompress({
      params: { [constants.ZSTD_c_compressionLevel]: level, [constants.ZSTD_c_checksumFlag]: 1 },
    });
  }

  /** One complete frame holding `page`. Calls must not overlap. */
  compress(page: Uint8Array): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const out: Buffer[] = [];
      const onData = (chunk: Buffer): void => { out.push(chunk); };
      const onError = (err: Error): void => { this.#zstd.off('data', onData); reject(err); };
      this.#zstd.on('data', onData);
      this.#zstd.once('error', onError);
      this.#zstd.write(page);
      this.#zstd.flush(constants.ZSTD_e_end, () => {
        this.#zstd.off('data', onData);
        this.#zstd.off('error', onError);
        resolve(Buffer.concat(out));
      });
    });
  }

  close(): void {
    this.#zstd.close();
  }
}
