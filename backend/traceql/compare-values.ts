import type { ComparisonOp } from './ast.ts';
import { compileRegex } from './regex.ts';
import { isNumericType } from './value.ts';
import type { AttributeValue, Value } from './value.ts';

/**
 * Tempo's comparison semantics: int, float and duration compare numerically; other types compare only with
 * their own type, and a mismatch never matches (not even `!=`); a missing value (nil) matches only
 * `= nil` / `!= nil`; regexes are fully anchored and apply to strings only. An array attribute matches when
 * one of its elements does (`!=` / `!~`: when none equals / matches).
 */
export function compareValues(op: ComparisonOp, l: AttributeValue, r: AttributeValue): boolean {
  if (r.type === 'nil' && (op === '=' || op === '!=')) return (l.type === 'nil') === (op === '=');
  if (l.type === 'nil') return false;
  if (l.type === 'array' || r.type === 'array') return compareArray(op, l, r);
  if (l.type === 'opaque' || r.type === 'opaque') return false;
  return compareScalars(op, l, r);
}

function compareArray(op: ComparisonOp, l: AttributeValue, r: AttributeValue): boolean {
  if (l.type === 'array' && r.type === 'array') return false;
  const negated = op === '!=' || op === '!~';
  const positive: ComparisonOp = op === '!=' ? '=' : op === '!~' ? '=~' : op;
  const [values, other, arrayLeft] = l.type === 'array' ? [l.values, r, true] : [(r as { values: readonly Value[] }).values, l, false];
  if (other.type === 'opaque' || other.type === 'array') return false;
  let any = false;
  for (const v of values) {
    if (arrayLeft ? compareScalars(positive, v, other) : compareScalars(positive, other, v)) {
      any = true;
      break;
    }
  }
  if (!negated) return any;
  // `!=` needs an element of a comparable type, like a scalar mismatch.
  return !any && values.some((v) => v.type === other.type || (isNumericType(v.type) && isNumericType(other.type)));
}

function compareScalars(op: ComparisonOp, l: Value, r: Value): boolean {
  if (l.type === 'nil' || r.type === 'nil') return false;
  if (isNumericType(l.type) && isNumericType(r.type)) {
    return ordered(op, (l as { value: number }).value, (r as { value: number }).value);
  }
  if (l.type !== r.type) return false;
  switch (l.type) {
    case 'string': {
      const b = (r as { value: string }).value;
      if (op === '=~' || op === '!~') return regexTest(b, l.value) === (op === '=~');
      return ordered(op, l.value, b);
    }
    case 'bool':
    case 'status':
    case 'kind': {
      const b = (r as { value: unknown }).value;
      if (op === '=') return l.value === b;
      if (op === '!=') return l.value !== b;
      return false;
    }
    default:
      return false;
  }
}

function ordered<T extends number | string>(op: ComparisonOp, a: T, b: T): boolean {
  switch (op) {
    case '=': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    default: return false;
  }
}

/** A pattern read from a span (not checked at parse time) that does not compile matches nothing. */
function regexTest(pattern: string, subject: string): boolean {
  let re: RegExp;
  try {
    re = compileRegex(pattern);
  } catch {
    return false;
  }
  return re.test(subject);
}
