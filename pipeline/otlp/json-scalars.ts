/** OTLP/JSON (proto3 JSON) scalar values to wire values; each throws a PayloadError naming what it expected. */
import { base64ToBytes } from './base64.ts';
import { hexToBytes } from './hex.ts';
import { PayloadError } from './payload-error.ts';

const DECIMAL = /^-?\d+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function expected(what: string, v: unknown): PayloadError {
  return new PayloadError(`expected ${what}, got ${describe(v)}`);
}

/** int32 / uint32 / fixed32 / enum numbers, as a JSON number or a decimal string. */
export function jsonInt(v: unknown, min: number, max: number): number {
  const n = typeof v === 'string' && DECIMAL.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw expected('an integer', v);
  if (n < min || n > max) throw new PayloadError(`${n} is out of range [${min}, ${max}]`);
  return n;
}

/** int64 / uint64 / fixed64 as a JSON number or a decimal string; a bigint only when a number is not exact. */
export function jsonInt64(v: unknown, unsigned: boolean): number | bigint {
  const min = unsigned ? 0n : INT64_MIN;
  const max = unsigned ? UINT64_MAX : INT64_MAX;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw expected('an integer', v);
    // Compared with exact powers of two: Number(max) rounds up to 2^63 / 2^64, which is already outside.
    if (v < (unsigned ? 0 : -(2 ** 63)) || v >= (unsigned ? 2 ** 64 : 2 ** 63)) {
      throw new PayloadError(`${v} is out of 64-bit range (send large values as decimal strings)`);
    }
    return v;
  }
  if (typeof v !== 'string' || !DECIMAL.test(v)) throw expected('an integer (number or decimal string)', v);
  if (v.length <= 15) {
    const n = Number(v);
    if (unsigned && n < 0) throw new PayloadError(`${v} is out of 64-bit range`);
    return n;
  }
  const b = BigInt(v);
  if (b < min || b > max) throw new PayloadError(`${v} is out of 64-bit range`);
  return b;
}

export function jsonDouble(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const n = v.trim() === '' ? NaN : Number(v);
    if (!Number.isNaN(n)) return n;
  }
  throw expected('a number', v);
}

export function jsonBool(v: unknown): boolean {
  if (typeof v !== 'boolean') throw expected('true or false', v);
  return v;
}

export function jsonString(v: unknown): string {
  if (typeof v !== 'string') throw expected('a string', v);
  return v;
}

/** An enum as its number or its name. */
export function jsonEnum(v: unknown, names: readonly string[]): number {
  if (typeof v === 'string' && !DECIMAL.test(v)) {
    const n = names.indexOf(v);
    if (n < 0) throw new PayloadError(`unknown enum value "${v}" (expected one of ${names.join(', ')} or a number)`);
    return n;
  }
  return jsonInt(v, -2147483648, 2147483647);
}

export function jsonHex(v: unknown): Uint8Array {
  const bytes = typeof v === 'string' ? hexToBytes(v) : undefined;
  if (bytes === undefined) throw expected('a hex string', v);
  return bytes;
}

export function jsonBase64(v: unknown): Uint8Array {
  const bytes = typeof v === 'string' ? base64ToBytes(v) : undefined;
  if (bytes === undefined) throw expected('a base64 string', v);
  return bytes;
}
