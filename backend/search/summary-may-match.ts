import {
  VALUE_ARRAY, VALUE_BOOL, VALUE_BYTES, VALUE_DOUBLE, VALUE_EMPTY, VALUE_INT, VALUE_KVLIST, VALUE_NONE, VALUE_STRING,
} from '../block/any-value-tags.ts';
import type { RowGroupRef } from '../block/row-group-index.ts';
import { bloomMayHold, stringHash } from '../block/string-bloom.ts';
import { presenceBit, type AttributeSummary, type NumberRange, type RowGroupSummary } from '../block/row-group-summary.ts';
import { FALSE, KINDS, NIL, STATUSES, TRUE, isNumericType } from '../traceql/value.ts';
import type { AttributeValue } from '../traceql/value.ts';
import { condMayHold, type SpanAtom, type TraceCond } from './prefilter-plan.ts';
import { hasUnnamedKeys } from './row-group-candidates.ts';

type NumberType = 'int' | 'float' | 'duration';

/**
 * Whether some trace of the row group may satisfy `cond`, from the group's summary in the index (version 2):
 * false only when no span of the group can pass a required atom — its durations, statuses, kinds, or the
 * tags and number ranges of a span attribute's values rule it out. Without a summary: true.
 */
export function summaryMayMatch(group: RowGroupRef, cond: TraceCond): boolean {
  const { summary } = group;
  if (summary === undefined) return true;
  const unnamedKeys = hasUnnamedKeys(group);
  return condMayHold(cond, group.spans, (atom) => atomMayPass(atom, summary, group, unnamedKeys));
}

function atomMayPass(atom: SpanAtom, summary: RowGroupSummary, group: RowGroupRef, unnamedKeys: boolean): boolean {
  const { field, test } = atom;
  switch (field.kind) {
    case 'span': return spanAttributeMayPass(atom, field.name, summary, group, unnamedKeys);
    case 'resource': return resourceMayPass(atom, field.name, summary);
    // The span's value when it has the key, else the resource's: either may pass.
    case 'any': return spanAttributeMayPass(atom, field.name, summary, group, unnamedKeys) || resourceMayPass(atom, field.name, summary);
    case 'intrinsic':
      switch (field.intrinsic) {
        case 'name': return stringMayEqual(atom, summary.names);
        case 'duration': return summary.duration === undefined || rangeMayPass(atom, 'duration', summary.duration);
        case 'status': return someBit(summary.statuses, (v) => test({ type: 'status', value: STATUSES[v - 1] ?? 'unset' }));
        case 'kind': return someBit(summary.kinds, (k) => test({ type: 'kind', value: KINDS[k] ?? 'unspecified' }));
        default: return true;
      }
  }
}

function spanAttributeMayPass(atom: SpanAtom, key: string, summary: RowGroupSummary, group: RowGroupRef, unnamedKeys: boolean): boolean {
  // A key that is not UTF-8 may read as this name in the engine.
  if (unnamedKeys) return true;
  const name = `span.attr:${key}`;
  const attribute = summary.attributes.get(name);
  if (attribute !== undefined) return attributeMayPass(atom, attribute);
  // No column: no span has the key (the engine sees nil). Strings alone have no summary: may pass.
  return group.columns.some((c) => c.name === name);
}

/** Only `service.name` is summarised (its string values); a resource without it reads nil, which fails the atom. */
function resourceMayPass(atom: SpanAtom, key: string, summary: RowGroupSummary): boolean {
  return key !== 'service.name' || stringMayEqual(atom, summary.services);
}

/** An `= "literal"` atom passes only that string: false when the bloom filter lacks it; any other atom may pass. */
function stringMayEqual(atom: SpanAtom, bloom: Uint32Array | undefined): boolean {
  const { op, literal } = atom;
  if (bloom === undefined || op !== '=' || literal?.type !== 'string') return true;
  return bloomMayHold(bloom, stringHash(literal.value));
}

/** Whether a value with one of the tags present may pass; a string may, whatever it is. */
function attributeMayPass(atom: SpanAtom, a: AttributeSummary): boolean {
  const has = (tag: number): boolean => (a.tags & (1 << tag)) !== 0;
  const { test } = atom;
  return (has(VALUE_NONE) || has(VALUE_EMPTY)) && test(NIL)
    || has(VALUE_STRING) || has(VALUE_ARRAY)
    || has(VALUE_BOOL) && (test(TRUE) || test(FALSE))
    || has(VALUE_INT) && (a.ints === undefined || rangeMayPass(atom, 'int', a.ints))
    || has(VALUE_DOUBLE) && (a.doubles === undefined || rangeMayPass(atom, 'float', a.doubles))
    || has(VALUE_BYTES) && test({ type: 'opaque', what: 'bytes' })
    || has(VALUE_KVLIST) && test({ type: 'opaque', what: 'kvlist' });
}

/** Some number of `type` in the range passes: one of its ends does, or the literal inside it (prefilter-plan.ts). */
function rangeMayPass(atom: SpanAtom, type: NumberType, r: NumberRange): boolean {
  const { test, literal } = atom;
  const at = (value: number): AttributeValue => ({ type, value });
  if (test(at(r.min)) || test(at(r.max))) return true;
  if (literal === undefined || !isNumericType(literal.type)) return false;
  const v = (literal as { value: number }).value;
  return r.min <= v && v <= r.max && test(at(v));
}

/** Whether `test` passes one of the small values whose bits are set (presenceBit); bit 31 (a big value) may. */
function someBit(mask: number, test: (v: number) => boolean): boolean {
  if ((mask & presenceBit(31)) !== 0) return true;
  for (let v = 0; v < 31; v++) if ((mask & presenceBit(v)) !== 0 && test(v)) return true;
  return false;
}
