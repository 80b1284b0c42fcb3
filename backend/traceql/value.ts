/** Typed TraceQL values: the literals of a query and the values read from spans. */

export const STATUSES = ['unset', 'ok', 'error'] as const;
export type Status = typeof STATUSES[number];

/** In OTLP enum order: index = SpanKind number. */
export const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
export type Kind = typeof KINDS[number];

/** A scalar value. Durations are nanoseconds; ints are exact up to 2^53. */
export type Value =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'duration'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'status'; readonly value: Status }
  | { readonly type: 'kind'; readonly value: Kind }
  | { readonly type: 'nil' };

/**
 * What an attribute can hold: a scalar, an array of scalars (matches when an element does), or a value
 * TraceQL cannot compare (a key-value list, bytes) that still counts as present for `!= nil`.
 */
export type AttributeValue =
  | Value
  | { readonly type: 'array'; readonly values: readonly Value[] }
  | { readonly type: 'opaque'; readonly what: 'kvlist' | 'bytes' };

export type ValueType = Value['type'];

export const NIL: Value = Object.freeze({ type: 'nil' });
export const TRUE: Value = Object.freeze({ type: 'bool', value: true });
export const FALSE: Value = Object.freeze({ type: 'bool', value: false });

export function isNumericType(t: string): boolean {
  return t === 'int' || t === 'float' || t === 'duration';
}

export function boolValue(b: boolean): Value {
  return b ? TRUE : FALSE;
}
