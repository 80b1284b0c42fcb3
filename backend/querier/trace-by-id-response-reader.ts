import { ProtoReader, WIRE_LEN, WIRE_VARINT } from '../../pipeline/otlp/proto-reader.ts';

/** What a querier needs of a TraceByIDResponse { trace = 1; metrics = 2; status = 3; message = 4 }. */
export interface TraceByIdAnswer {
  /** The Trace message's bytes (a view); empty when the trace has no resourceSpans. */
  readonly trace: Uint8Array;
  readonly partial: boolean;
  readonly message: string;
}

const PARTIAL = 1;

/** Throws PayloadError on malformed protobuf. */
export function readTraceByIdResponse(bytes: Uint8Array): TraceByIdAnswer {
  const r = new ProtoReader(bytes);
  let trace: Uint8Array = new Uint8Array(0);
  let partial = false;
  let message = '';
  while (!r.done()) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1 && wireType === WIRE_LEN) trace = r.bytes();
    else if (field === 3 && wireType === WIRE_VARINT) partial = r.varint() === PARTIAL;
    else if (field === 4 && wireType === WIRE_LEN) message = r.string();
    else r.skip(wireType);
  }
  return { trace, partial, message };
}
