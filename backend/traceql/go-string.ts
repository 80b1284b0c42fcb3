/**
 * Unquotes a Go string literal body (between the double quotes) like strconv.Unquote: \a \b \f \n \r \t \v
 * \\ \" \ooo \xhh \uhhhh \Uhhhhhhhh. Returns the offset of the bad escape on failure.
 */
const SIMPLE: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"',
};

export type Unquoted = { ok: true; value: string } | { ok: false; at: number };

export function unquoteGo(body: string): Unquoted {
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = body[i + 1];
    if (e !== undefined && SIMPLE[e] !== undefined) {
      out += SIMPLE[e];
      i += 2;
      continue;
    }
    const code = escapeCode(body, i);
    if (code === undefined) return { ok: false, at: i };
    out += String.fromCodePoint(code.value);
    i += code.length;
  }
  return { ok: true, value: out };
}

function escapeCode(body: string, i: number): { value: number; length: number } | undefined {
  const e = body[i + 1];
  const hex = (n: number): { value: number; length: number } | undefined => {
    const digits = body.slice(i + 2, i + 2 + n);
    if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) return undefined;
    const value = parseInt(digits, 16);
    if (value > 0x10ffff || (value >= 0xd800 && value < 0xe000)) return undefined;
    return { value, length: 2 + n };
  };
  if (e === 'x') return hex(2);
  if (e === 'u') return hex(4);
  if (e === 'U') return hex(8);
  if (e !== undefined && e >= '0' && e <= '7') {
    const digits = body.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(digits)) return undefined;
    const value = parseInt(digits, 8);
    return value > 255 ? undefined : { value, length: 4 };
  }
  return undefined;
}
