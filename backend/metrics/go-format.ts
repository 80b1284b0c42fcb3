/**
 * Go's strconv.FormatFloat(f, 'g', -1, 64): the shortest digits that read back as `f`, in exponent form
 * when the exponent is below -4 or at least 6 (`1.048576e+06`, `1.024e-06`, `0.5`). Tempo names series
 * with it, so the text must be Go's to the character.
 */
export function goFormatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = f.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(f);
}

/** A TraceQL float as Tempo writes it in text: Go's shortest form, with `.0` added to whole numbers (`1.0`). */
export function traceqlFloat(f: number): string {
  const s = goFormatFloat(f);
  return /[e.]/.test(s) || !Number.isFinite(f) ? s : `${s}.0`;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"',
};

/** Go's strconv.Quote for the text Tempo puts in series names: escapes, other control characters as `\xNN`. */
export function goQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (ESCAPES[c] !== undefined) out += ESCAPES[c];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return `${out}"`;
}
