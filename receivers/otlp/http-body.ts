import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { PayloadTooLargeError, PermanentError } from '../../pipeline/errors.ts';

type Inflate = (buf: Uint8Array, options: { maxOutputLength: number }) => Promise<Buffer>;

const DECODERS: Readonly<Record<string, Inflate>> = {
  gzip: promisify(zlib.gunzip),
  'x-gzip': promisify(zlib.gunzip),
  // "deflate" in HTTP means the zlib format (RFC 9110), as the Collector reads it too.
  deflate: promisify(zlib.inflate),
  zlib: promisify(zlib.inflate),
  zstd: promisify(zlib.zstdDecompress),
};

/**
 * The whole request body in one buffer: one copy of the bytes, into a buffer sized from Content-Length
 * when the client sent one. Refuses with PayloadTooLargeError as soon as the body passes `limit`.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'] === undefined ? -1 : Number(req.headers['content-length']);
  if (declared > limit) {
    return Promise.reject(new PayloadTooLargeError(`body of ${declared} bytes exceeds ${limit} bytes`));
  }
  return new Promise((resolve, reject) => {
    const into = declared >= 0 ? Buffer.allocUnsafeSlow(declared) : undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      if (size + chunk.length > limit || (into !== undefined && size + chunk.length > into.length)) {
        stop();
        reject(new PayloadTooLargeError(`body exceeds ${limit} bytes`));
        return;
      }
      if (into === undefined) chunks.push(chunk);
      else chunk.copy(into, size);
      size += chunk.length;
    };
    const onEnd = (): void => {
      stop();
      resolve(into === undefined ? Buffer.concat(chunks, size) : into.subarray(0, size));
    };
    const onClose = (): void => {
      stop();
      reject(new PermanentError('request body ended early: connection closed'));
    };
    const stop = (): void => {
      req.off('data', onData).off('end', onEnd).off('error', onClose).off('close', onClose);
    };
    req.on('data', onData).on('end', onEnd).on('error', onClose).on('close', onClose);
  });
}

/** Decompresses per Content-Encoding; the limit applies to the decompressed size (gzip bombs get 413). */
export async function decodeContent(body: Buffer, encoding: string | undefined, limit: number): Promise<Buffer> {
  const name = encoding?.trim().toLowerCase() ?? '';
  if (name === '' || name === 'identity') return body;
  const inflate = DECODERS[name];
  if (inflate === undefined) throw new PermanentError(`unsupported Content-Encoding: ${encoding}`);
  try {
    return await inflate(body, { maxOutputLength: limit });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadTooLargeError(`decompressed body exceeds ${limit} bytes`, { cause: err });
    }
    throw new PermanentError(`invalid ${name} body: ${(err as Error).message}`, { cause: err });
  }
}
