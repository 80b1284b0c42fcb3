const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Nibble value by char code, -1 for non-hex. */
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[65 + i] = NIBBLE[97 + i] = 10 + i;

/** Lowercase hex. A JS loop beats Buffer#toString('hex') for ID-sized inputs. */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX_PAIRS[bytes[i]];
  return s;
}

/** Hex (either case, even length) to bytes; undefined when `hex` is not that. */
export function hexToBytes(hex: string): Uint8Array | undefined {
  const n = hex.length;
  if (n % 2 !== 0) return undefined;
  const out = new Uint8Array(n / 2);
  for (let i = 0, j = 0; i < n; i += 2, j++) {
    const hi = nibble(hex.charCodeAt(i));
    const lo = nibble(hex.charCodeAt(i + 1));
    if ((hi | lo) < 0) return undefined;
    out[j] = hi * 16 + lo;
  }
  return out;
}

function nibble(charCode: number): number {
  return charCode < 128 ? NIBBLE[charCode] : -1;
}
