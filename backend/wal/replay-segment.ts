import { readFile, truncate } from 'node:fs/promises';
import { decodeTraceRequest } from '../../pipeline/otlp/decode-trace-request.ts';
import { PermanentError, TracelakeError } from '../../pipeline/errors.ts';
import type { TraceBatch } from '../../pipeline/trace-batch.ts';
import { segmentPath } from './segment-file.ts';
import type { WalRecord } from './wal-record-layout.ts';
import { parseRecord, type ParsedRecord } from './wal-record.ts';

export interface SegmentReplay {
  readonly records: number;
  readonly spans: number;
  readonly bytes: number;
  /** Where the segment was cut because the record there was torn or corrupt. */
  readonly truncatedAt?: number;
}

/**
 * Hands back every record of one segment, in order. At the first torn or corrupt record the file is
 * truncated: records are written in order and acknowledged only after their write completed, so nothing
 * after a torn record was acknowledged.
 */
export async function replaySegment(dir: string, segment: number, onRecord: (record: WalRecord) => void): Promise<SegmentReplay> {
  const file = segmentPath(dir, segment);
  const buf = await readFile(file);
  let offset = 0;
  let records = 0;
  let spans = 0;
  while (offset < buf.length) {
    const parsed = parseRecord(buf, offset);
    const batch = parsed && decodePayload(parsed);
    if (!parsed || !batch) {
      await truncate(file, offset);
      return { records, spans, bytes: offset, truncatedAt: offset };
    }
    const spanOffsets = spanOffsetsOf(batch, parsed.payload, buf.byteOffset);
    onRecord({ tenant: parsed.tenant, batch, layout: { segment, offset, length: parsed.end - offset, spanOffsets } });
    records++;
    spans += batch.spanCount;
    offset = parsed.end;
  }
  return { records, spans, bytes: offset };
}

/** undefined when the payload passed its crc yet is not TracesData: treated as corrupt. */
function decodePayload(record: ParsedRecord): TraceBatch | undefined {
  try {
    return decodeTraceRequest(record.payload).batch;
  } catch (err) {
    if (err instanceof PermanentError) return undefined;
    throw err;
  }
}

/** File offsets of the spans, from the decoder's views into the segment buffer. */
function spanOffsetsOf(batch: TraceBatch, payload: Buffer, bufferBase: number): Uint32Array {
  const offsets = new Uint32Array(batch.spanCount);
  let i = 0;
  for (const rs of batch.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        if (span.bytes.buffer !== payload.buffer) {
          throw new TracelakeError('decodeTraceRequest copied span bytes; the WAL needs views to locate them');
        }
        offsets[i++] = span.bytes.byteOffset - bufferBase;
      }
    }
  }
  return offsets;
}
