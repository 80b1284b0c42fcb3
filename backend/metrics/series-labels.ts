import { anyValueJson, type AnyValueJson } from '../search/any-value-json.ts';
import type { FieldRef } from '../traceql/ast.ts';
import { formatDuration } from '../traceql/duration-literal.ts';
import { INTRINSIC_KEYS } from '../traceql/intrinsic-names.ts';
import { NIL } from '../traceql/value.ts';
import type { AttributeValue, Value } from '../traceql/value.ts';
import { goQuote, traceqlFloat } from './go-format.ts';

/** One label of a series: `resource.service.name` = "api", `p` = 0.99, `__bucket` = 0.004194304 … */
export interface SeriesLabel {
  readonly key: string;
  readonly value: Value;
}

/** A label as Tempo's JSON writes it (common.v1.KeyValue). */
export interface KeyValueJson {
  readonly key: string;
  readonly value: AnyValueJson;
}

/** The label key of a by() attribute, as written in TraceQL: `resource.service.name`, `.foo`, `name`, `span:id`. */
export function labelKey(ref: FieldRef): string {
  if (ref.kind === 'intrinsic') return INTRINSIC_KEYS[ref.intrinsic];
  return ref.scope === 'none' ? `.${ref.name}` : `${ref.scope}.${ref.name}`;
}

/** What a by() value groups by: a scalar; arrays and opaque values group as nil. */
export function labelValue(v: AttributeValue): Value {
  return v.type === 'array' || v.type === 'opaque' ? NIL : v;
}

/** Labels as JSON: typed values (int as a string, float as a number …), nil as the string `nil` (Tempo's AsAnyValue). */
export function labelsJson(labels: readonly SeriesLabel[]): KeyValueJson[] {
  return labels.map((l) => ({ key: l.key, value: l.value.type === 'nil' ? { stringValue: 'nil' } : anyValueJson(l.value) ?? {} }));
}

/**
 * The Prometheus text of a series' labels (Tempo's `promLabels`, also the sort key of the answer): names
 * sorted, quoted when not a classic Prometheus name, values as text with `<nil>` and `<empty>` for nil and
 * the empty string: `{"resource.service.name"="api", p="0.9"}`.
 */
export function promLabels(labels: readonly SeriesLabel[]): string {
  const byName = new Map<string, string>();
  for (const l of labels) byName.set(l.key, promValue(l.value));
  const names = [...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parts = names.map((n) => `${/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(n) ? n : goQuote(n)}=${goQuote(byName.get(n)!)}`);
  return `{${parts.join(', ')}}`;
}

function promValue(v: Value): string {
  switch (v.type) {
    case 'nil': return '<nil>';
    case 'string': return v.value === '' ? '<empty>' : v.value === 'nil' ? '<nil>' : v.value;
    case 'float': return traceqlFloat(v.value);
    case 'duration': return formatDuration(v.value);
    default: return String(v.value);
  }
}
