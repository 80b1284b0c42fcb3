import { BadRequestError } from '../../pipeline/errors.ts';
import type { TimeRange } from '../querier/trace-source.ts';

const INT64_MAX = 2n ** 63n - 1n;

/**
 * Optional `start`/`end` (unix seconds) of a trace-by-ID request, checked as Tempo does: integers, and when
 * both are set `end` must be after `start`. 0 or absent means unbounded; undefined when both are.
 */
export function parseTimeRange(query: URLSearchParams): TimeRange | undefined {
  const start = parseSeconds(query, 'start');
  const end = parseSeconds(query, 'end');
  if (start !== 0 && end !== 0 && end <= start) {
    throw new BadRequestError(`http parameter start must be before end. received start=${start} end=${end}`);
  }
  if (start === 0 && end === 0) return undefined;
  return { start, end: end === 0 ? Number.MAX_SAFE_INTEGER : end };
}

function parseSeconds(query: URLSearchParams, name: string): number {
  const text = query.get(name) ?? '';
  if (text === '') return 0;
  // Same wording as Go's strconv.ParseInt, which Tempo's message embeds.
  if (!/^[+-]?[0-9]+$/.test(text)) {
    throw new BadRequestError(`invalid ${name}: strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`);
  }
  const value = BigInt(text);
  if (value > INT64_MAX || value < -INT64_MAX - 1n) {
    throw new BadRequestError(`invalid ${name}: strconv.ParseInt: parsing ${JSON.stringify(text)}: value out of range`);
  }
  return Number(value);
}
