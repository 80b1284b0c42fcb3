import { BadRequestError } from '../../pipeline/errors.ts';

const TRACE_ID_BYTES = 16;

/**
 * A trace ID from a URL, parsed as Tempo does (pkg/util/traceid.go): hex in any case, an odd length gets a
 * leading 0, shorter IDs are left-padded with zeros to 16 bytes, so `895f3a38db12a0e1` and
 * `0000000000000000895f3a38db12a0e1` are the same trace. Throws BadRequestError with Tempo's messages.
 */
export function parseTraceId(text: string): Uint8Array {
  let byteOffset = 0;
  for (const ch of text) {
    if (!isHexDigit(ch)) {
      throw new BadRequestError(
        `trace IDs can only contain hex characters: invalid character '${ch}' at position ${byteOffset + 1}`,
      );
    }
    byteOffset += Buffer.byteLength(ch);
  }
  const even = text.length % 2 === 1 ? `0${text}` : text;
  if (even.length / 2 > TRACE_ID_BYTES) throw new BadRequestError("trace IDs can't be larger than 128 bits");
  const id = new Uint8Array(TRACE_ID_BYTES);
  id.set(Buffer.from(even, 'hex'), TRACE_ID_BYTES - even.length / 2);
  return id;
}

function isHexDigit(ch: string): boolean {
  return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}
