import { formatDuration } from '../traceql/duration-literal.ts';
import type { AttributeValue, Value } from '../traceql/value.ts';

/** An AnyValue as Tempo's JSON writes it (gogo jsonpb: int64 as a decimal string, zero values omitted). */
export type AnyValueJson =
  | { stringValue?: string }
  | { intValue?: string }
  | { doubleValue?: number }
  | { boolValue?: boolean }
  | { arrayValue: { values?: AnyValueJson[] } };

/**
 * A TraceQL value in a search answer: durations as Go duration strings (`1.2s`), status and kind as their
 * keyword (`error`, `server`); undefined for what has no JSON form (nil, key-value lists, bytes).
 */
export function anyValueJson(value: AttributeValue): AnyValueJson | undefined {
  if (value.type === 'array') {
    const values = value.values.map(scalarJson).filter((v): v is AnyValueJson => v !== undefined);
    return { arrayValue: values.length === 0 ? {} : { values } };
  }
  if (value.type === 'opaque') return undefined;
  return scalarJson(value);
}

function scalarJson(value: Value): AnyValueJson | undefined {
  switch (value.type) {
    case 'string': return value.value === '' ? {} : { stringValue: value.value };
    case 'int': return value.value === 0 ? {} : { intValue: String(value.value) };
    case 'float': return value.value === 0 ? {} : { doubleValue: value.value };
    case 'bool': return value.value ? { boolValue: true } : {};
    case 'duration': return { stringValue: formatDuration(value.value) };
    case 'status': case 'kind': return { stringValue: value.value };
    case 'nil': return undefined;
  }
}
