import { formatDuration } from '../traceql/duration-literal.ts';
import type { Value } from '../traceql/value.ts';
import type { TypedTagValue } from './tag-service.ts';

/**
 * A TraceQL value as a typed tag value: Grafana quotes a picked value only when its type is `string`, so
 * ints stay `int` (`span.http.status_code=500`) and statuses and kinds are keywords (`status=error`).
 * undefined for nil.
 */
export function typedTagValue(v: Value): TypedTagValue | undefined {
  switch (v.type) {
    case 'string': return { type: 'string', value: v.value };
    case 'int': return { type: 'int', value: String(v.value) };
    case 'float': return { type: 'float', value: String(v.value) };
    case 'bool': return { type: 'bool', value: String(v.value) };
    case 'duration': return { type: 'duration', value: formatDuration(v.value) };
    case 'status': case 'kind': return { type: 'keyword', value: v.value };
    case 'nil': return undefined;
  }
}
