import { ConfigError } from '../errors.ts';
import { deepFreeze } from './deep-freeze.ts';

/**
 * Durations and byte sizes as written in pipelines.yaml.
 *
 * Durations follow Go's time.ParseDuration ("200ms", "5s", "1m30s", "1h", units ns us µs ms s m h), as in
 * the Collector and Tempo. A bare number is nanoseconds there (Go's time.Duration); `parseDuration` keeps
 * that meaning, but `durationSchema` admits only the number 0 so that `timeout: 200` is refused at load time
 * instead of silently meaning 200 ns. Byte sizes take decimal (kB, MB, GB, TB, PB = 1000^n) and binary
 * (KiB, MiB, GiB, TiB, PiB = 1024^n) units, any case, or a plain number of bytes.
 */

export const DURATION_PATTERN = '^(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$';
export const BYTES_PATTERN = '^[0-9]+(\\.[0-9]+)?\\s*([kKmMgGtTpP][iI]?[bB]?|[bB])?$';

/** For a config field holding a duration; the value stays as written, read it with `parseDuration`. */
export const durationSchema = deepFreeze({
  type: ['string', 'integer'], pattern: DURATION_PATTERN, minimum: 0, maximum: 0,
});

/** For a config field holding a byte size; the value stays as written, read it with `parseBytes`. */
export const bytesSchema = deepFreeze({ type: ['string', 'integer'], pattern: BYTES_PATTERN, minimum: 0 });

const MS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3,
};
const DURATION_PART = /([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Milliseconds (possibly fractional). Numbers are nanoseconds, as Go's time.Duration. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new ConfigError(`invalid duration ${value}`);
    return value / 1e6;
  }
  if (value === '0') return 0;
  if (value === '') throw new ConfigError(`invalid duration ''`);
  const part = new RegExp(DURATION_PART); // own lastIndex per call
  let ms = 0;
  while (part.lastIndex < value.length) {
    const m = part.exec(value);
    if (m === null) throw new ConfigError(`invalid duration '${value}'`);
    ms += Number(m[1]) * MS_PER_UNIT[m[2]!]!;
  }
  return ms;
}

const BYTES = /^([0-9]+(?:\.[0-9]+)?)\s*([kmgtp]?)(i?)b?$/i;
const POWER: Readonly<Record<string, number>> = { '': 0, k: 1, m: 2, g: 3, t: 4, p: 5 };

/** A whole number of bytes. */
export function parseBytes(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new ConfigError(`invalid byte size ${value}`);
    return value;
  }
  const m = BYTES.exec(value.trim());
  if (m === null) throw new ConfigError(`invalid byte size '${value}'`);
  const base = m[3] === '' ? 1000 : 1024;
  return Math.round(Number(m[1]) * base ** POWER[m[2]!.toLowerCase()]!);
}
