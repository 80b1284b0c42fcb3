import type { FieldRef } from '../traceql/ast.ts';
import { KINDS, STATUSES } from '../traceql/value.ts';
import { byCodeUnits } from './tag-collect.ts';
import type { TypedTagValue } from './tag-service.ts';

/** Intrinsic tag names as Tempo lists them in the `intrinsic` scope, sorted. */
export const INTRINSIC_TAG_NAMES: readonly string[] = [
  'duration', 'kind', 'name', 'rootName', 'rootServiceName', 'status', 'statusMessage', 'traceDuration',
  'event:name', 'event:timeSinceStart', 'link:spanID', 'link:traceID', 'instrumentation:name',
  'instrumentation:version', 'trace:id', 'span:id', 'span:parentID', 'span:status', 'span:statusMessage',
  'span:duration', 'span:name', 'span:kind', 'trace:rootName', 'trace:rootService', 'trace:duration',
].sort(byCodeUnits);

const keywords = (values: readonly string[]): TypedTagValue[] =>
  values.map((value): TypedTagValue => ({ type: 'keyword', value })).sort((a, b) => byCodeUnits(a.value, b.value));

const STATUS_VALUES = keywords(STATUSES);
const KIND_VALUES = keywords(KINDS);

/**
 * Values of an intrinsic that are not read from the data: statuses and kinds (every keyword), durations
 * (none: a picker offers no durations). undefined when the field's values must be read.
 */
export function virtualTagValues(field: FieldRef): readonly TypedTagValue[] | undefined {
  if (field.kind !== 'intrinsic') return undefined;
  switch (field.intrinsic) {
    case 'status': return STATUS_VALUES;
    case 'kind': return KIND_VALUES;
    case 'duration': case 'traceDuration': case 'eventTimeSinceStart': return [];
    default: return undefined;
  }
}

/** v1's virtual `status.code`: the status keywords as plain strings. */
export const STATUS_CODE_TAG = 'status.code';
export const STATUS_CODE_VALUES: readonly string[] = STATUS_VALUES.map((v) => v.value);
