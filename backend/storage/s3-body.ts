import { addAbortSignal, Readable } from 'node:stream';
import { PermanentError } from '../../pipeline/errors.ts';

interface SdkBody {
  transformToByteArray(): Promise<Uint8Array>;
}

/**
 * Every byte of a GetObject body, in a fresh array of exactly that size (no view into a larger socket
 * buffer, so a cached object costs what it holds). `signal` aborts the read; more than `maxBytes` is refused.
 */
export async function readS3Body(body: unknown, signal: AbortSignal, maxBytes = Infinity): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array(0);
  if (!(body instanceof Readable)) return copyOf(await (body as SdkBody).transformToByteArray());
  addAbortSignal(signal, body);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > maxBytes) {
      body.destroy();
      throw new PermanentError(`the server sent more than the ${maxBytes} bytes asked for`);
    }
    chunks.push(chunk);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function copyOf(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}
