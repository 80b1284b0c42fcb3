import { BadRequestError } from '../../pipeline/errors.ts';
import { parseDurationLiteral } from '../traceql/duration-literal.ts';

/** When neither `start` nor `since` is given, a metrics query looks back this far from its end (Tempo's defaultSince). */
const DEFAULT_SINCE_NS = 3_600_000_000_000n;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** A metrics query's range in unix nanoseconds, before any check (end may be before start). */
export interface NanoBounds {
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * `start`, `end` and `since` as Tempo's metrics endpoints read them: each time in unix seconds (10 digits
 * or fewer), unix nanoseconds (more), seconds with a fraction, or RFC 3339; `end` defaults to now, `start` to
 * `since` (default 1h) before the end (or before now when the end is in the future).
 */
export function parseBounds(params: URLSearchParams, nowNs: bigint): NanoBounds {
  const sinceText = params.get('since') ?? '';
  let since = DEFAULT_SINCE_NS;
  if (sinceText !== '') {
    const d = parseDurationLiteral(sinceText);
    if (d === undefined) throw new BadRequestError(`could not parse 'since' parameter: not a valid duration string: ${JSON.stringify(sinceText)}`);
    since = BigInt(d);
  }
  const end = parseTimestamp(params, 'end', nowNs);
  const start = parseTimestamp(params, 'start', (end > nowNs ? nowNs : end) - since);
  return { start, end };
}

function parseTimestamp(params: URLSearchParams, name: string, fallback: bigint): bigint {
  const text = params.get(name) ?? '';
  if (text === '') return fallback;
  if (text.includes('.') && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const t = Number(text);
    const whole = Math.trunc(t);
    const millis = Math.round((t - whole) * 1000);
    return BigInt(whole) * 1_000_000_000n + BigInt(millis) * 1_000_000n;
  }
  if (/^[+-]?\d+$/.test(text)) {
    const n = BigInt(text);
    return text.length <= 10 ? n * 1_000_000_000n : n;
  }
  const m = RFC3339.exec(text);
  if (m === null) throw new BadRequestError(`could not parse '${name}' parameter: strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`);
  const [, y, mo, d, h, mi, s, frac = '', sign, oh, om] = m;
  const seconds = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000;
  const offset = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60);
  return BigInt(seconds - offset) * 1_000_000_000n + BigInt(frac.padEnd(9, '0'));
}

/** `step` as Tempo reads it: seconds (`30`, `0.5`) or a Go duration (`30s`, `1m30s`); undefined when absent. */
export function parseStep(params: URLSearchParams): bigint | undefined {
  const text = params.get('step') ?? '';
  if (text === '') return undefined;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return BigInt(Math.trunc(Number(text) * 1e9));
  const d = parseDurationLiteral(text);
  if (d === undefined) throw new BadRequestError(`cannot parse ${JSON.stringify(text)} to a valid duration`);
  return BigInt(d);
}

/**
 * Tempo's default step (DefaultQueryRangeStep): about 240 points over the range, rounded down to 5s (or to
 * 1s below 5s), at least 1s.
 */
export function defaultStep(start: bigint, end: bigint): bigint {
  const second = 1_000_000_000n;
  const baseline = (end - start) / 240n;
  let interval = (baseline / (5n * second)) * 5n * second;
  if (interval < 5n * second) interval = (baseline / second) * second;
  return interval < second ? second : interval;
}
