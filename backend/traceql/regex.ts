/**
 * A TraceQL regex as a JavaScript RegExp, fully anchored like Tempo's (`a|b` means `^(?:a|b)$`). Go's
 * leading `(?i)`/`(?s)` flag groups become RegExp flags and `(?P<name>` becomes `(?<name>`; the rest of
 * RE2's common syntax is shared.
 *
 * Go's RE2 runs in linear time; JavaScript's default engine backtracks, so a hostile pattern such as
 * `(a+)+b` could stall the process. When V8's linear engine is enabled (node
 * --enable-experimental-regexp-engine) a pattern it accepts runs on it; the rest (case-insensitive, very
 * large repetitions) falls back to the backtracking engine.
 */
const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 1000;
let linearEngine: boolean | undefined;

export function compileRegex(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re !== undefined) return re;
  let flags = '';
  let body = pattern;
  const m = /^\(\?([is]+)\)/.exec(body);
  if (m !== null) {
    flags = [...new Set(m[1])].join('');
    body = body.slice(m[0].length);
  }
  const source = `^(?:${body.replaceAll('(?P<', '(?<')})$`;
  re = linear(source, flags) ?? new RegExp(source, flags);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, re);
  return re;
}

function linear(source: string, flags: string): RegExp | undefined {
  linearEngine ??= supportsLinearFlag();
  if (!linearEngine) return undefined;
  try {
    return new RegExp(source, `${flags}l`);
  } catch {
    return undefined;
  }
}

function supportsLinearFlag(): boolean {
  try {
    return new RegExp('', 'l').flags.includes('l');
  } catch {
    return false;
  }
}
