/** 64-bit timestamps as (low, high) uint32 halves: differences and sums without BigInt. */
export const time = { lo: 0, hi: 0 };

/** a - b (two's complement, wrapping) into `time`. */
export function sub64(aLo: number, aHi: number, bLo: number, bHi: number): void {
  const lo = (aLo - bLo) >>> 0;
  time.hi = (aHi - bHi - (aLo < bLo ? 1 : 0)) >>> 0;
  time.lo = lo;
}

/** a + b (wrapping) into `time`. */
export function add64(aLo: number, aHi: number, bLo: number, bHi: number): void {
  const sum = aLo + bLo;
  time.lo = sum >>> 0;
  time.hi = (aHi + bHi + (sum > 0xffffffff ? 1 : 0)) >>> 0;
}

/** a < b, unsigned. */
export function less64(aLo: number, aHi: number, bLo: number, bHi: number): boolean {
  return aHi < bHi || (aHi === bHi && aLo < bLo);
}
