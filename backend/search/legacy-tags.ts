import { BadRequestError } from '../../pipeline/errors.ts';
import { parseDurationLiteral } from '../traceql/duration-literal.ts';

/** The older tag search (`tags=` logfmt, `minDuration`, `maxDuration`), before TraceQL. */
export interface LegacySearch {
  readonly tags: string;
  readonly minDuration: string;
  readonly maxDuration: string;
}

/**
 * The TraceQL equivalent of a legacy search: each `key=value` pair an equality on the span or resource
 * attribute `key` (as a string, or as the int, float or bool the text spells), the durations bounds on the
 * trace's duration, all of them ANDed in one spanset filter.
 */
export function legacySearchQuery(legacy: LegacySearch): string {
  const conditions = parseLogfmt(legacy.tags).map(([key, value]) => tagCondition(key, value));
  const min = durationParam('minDuration', legacy.minDuration);
  const max = durationParam('maxDuration', legacy.maxDuration);
  if (min !== undefined && max !== undefined && max < min) throw new BadRequestError('invalid maxDuration: must be greater than minDuration');
  if (min !== undefined) conditions.push(`traceDuration >= ${min}ns`);
  if (max !== undefined) conditions.push(`traceDuration <= ${max}ns`);
  return conditions.length === 0 ? '{}' : `{ ${conditions.join(' && ')} }`;
}

function tagCondition(key: string, value: string): string {
  const attr = `.${JSON.stringify(key)}`;
  const forms = [`${attr} = ${JSON.stringify(value)}`];
  if (/^-?[0-9]+$/.test(value) && Number.isSafeInteger(Number(value))) forms.push(`${attr} = ${value}`);
  else if (/^-?[0-9]+\.[0-9]+$/.test(value)) forms.push(`${attr} = ${value}`);
  else if (value === 'true' || value === 'false') forms.push(`${attr} = ${value}`);
  return forms.length === 1 ? forms[0] : `(${forms.join(' || ')})`;
}

function durationParam(name: string, text: string): number | undefined {
  if (text === '') return undefined;
  const nanos = parseDurationLiteral(text);
  if (nanos === undefined || nanos < 0) throw new BadRequestError(`invalid ${name}: time: invalid duration ${JSON.stringify(text)}`);
  return nanos;
}

/** `a=b c="d e"` → [[a, b], [c, 'd e']]; quoted values take Go/JSON escapes. */
export function parseLogfmt(text: string): [string, string][] {
  const out: [string, string][] = [];
  const re = /\s*([^\s="]+)=("(?:[^"\\]|\\.)*"|[^\s"]*)\s*/y;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m === null) throw new BadRequestError(`invalid tags: expected key=value at position ${pos + 1}: ${JSON.stringify(text)}`);
    out.push([m[1], m[2].startsWith('"') ? unquote(m[2]) : m[2]]);
    pos = re.lastIndex;
  }
  return out;
}

function unquote(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch (cause) {
    throw new BadRequestError(`invalid tags: bad quoted value ${quoted}`, { cause });
  }
}
