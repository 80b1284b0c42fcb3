import type { ProtoReader } from '../../pipeline/otlp/proto-reader.ts';
import { readKeyValue } from './any-value.ts';
import type { SpanEvent, SpanLink } from './span-model.ts';
import type { AttributeValue } from './value.ts';

/** An OTLP Span.Event: time_unix_nano = 1, name = 2, attributes = 3. */
export function readEvent(r: ProtoReader, end: number): SpanEvent {
  const outer = r.enter(end);
  const attributes = new Map<string, AttributeValue>();
  let name = '';
  let timeUnixNano = 0n;
  while (!r.done()) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1: timeUnixNano = r.fixed64Big(); break;
      case 2: name = r.string(); break;
      case 3: readKeyValue(r, r.lengthEnd(), attributes); break;
      default: r.skip(tag & 7);
    }
  }
  r.leave(outer);
  return { name, timeUnixNano, attributes };
}

/** An OTLP Span.Link: trace_id = 1, span_id = 2, attributes = 4. */
export function readLink(r: ProtoReader, end: number): SpanLink {
  const outer = r.enter(end);
  const attributes = new Map<string, AttributeValue>();
  let traceId = '';
  let spanId = '';
  while (!r.done()) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1: traceId = r.bytesAsString('hex'); break;
      case 2: spanId = r.bytesAsString('hex'); break;
      case 4: readKeyValue(r, r.lengthEnd(), attributes); break;
      default: r.skip(tag & 7);
    }
  }
  r.leave(outer);
  return { traceId, spanId, attributes };
}
