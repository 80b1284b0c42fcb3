import { TracelakeError } from '../../pipeline/errors.ts';
import type { VisitPart } from './search-source.ts';

/**
 * How an ingester hands its unflushed traces to a querier's search over HTTP
 * (`/ingester/api/search-candidates`): one record per part, `trace ID (16) | length (u32 BE) | Trace bytes`.
 */
export class CandidatePartsWriter {
  readonly #chunks: Uint8Array[] = [];

  readonly add: VisitPart = (traceId, trace) => {
    const head = Buffer.allocUnsafe(20);
    head.set(traceId, 0);
    head.writeUInt32BE(trace.byteLength, 16);
    this.#chunks.push(head, trace);
  };

  bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

/** Hands each record of `body` to `visit`; throws TracelakeError on a truncated body. */
export function readCandidateParts(body: Uint8Array, visit: VisitPart): void {
  const view = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let at = 0;
  while (at < view.length) {
    if (at + 20 > view.length) throw new TracelakeError('search candidates: truncated record header');
    const length = view.readUInt32BE(at + 16);
    if (at + 20 + length > view.length) throw new TracelakeError('search candidates: truncated record');
    visit(view.subarray(at, at + 16), view.subarray(at + 20, at + 20 + length));
    at += 20 + length;
  }
}
