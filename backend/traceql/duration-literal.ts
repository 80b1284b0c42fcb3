/**
 * Duration literals as Tempo reads them: Prometheus style (`1h30m`, `2d`, `1w`, `1y`, `100ms`) or Go's
 * time.ParseDuration (`1.5s`, `300us`, `300µs`, `10ns`). Returns nanoseconds, or undefined when `text`
 * is not a duration.
 */
const UNIT_NANOS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
  d: 86400e9,
  w: 7 * 86400e9,
  y: 365 * 86400e9,
};
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w|y)/y;

export function parseDurationLiteral(text: string): number | undefined {
  if (text === '') return undefined;
  let pos = 0;
  let total = 0;
  let fractional = false;
  let promOnlyUnit = false;
  while (pos < text.length) {
    PART.lastIndex = pos;
    const m = PART.exec(text);
    if (m === null) return undefined;
    if (m[1].includes('.')) fractional = true;
    if (m[2] === 'd' || m[2] === 'w' || m[2] === 'y') promOnlyUnit = true;
    total += Number(m[1]) * UNIT_NANOS[m[2]];
    pos = PART.lastIndex;
  }
  // Prometheus takes d/w/y but no fractions; Go takes fractions but no d/w/y.
  if (fractional && promOnlyUnit) return undefined;
  return Math.round(total);
}

/** `1.5s`, `250ms`, `1h2m3s`: the shortest form that reads back as the same nanoseconds (Go's String()). */
export function formatDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  let n = Math.abs(nanos);
  if (n < 1e3) return `${sign}${n}ns`;
  if (n < 1e6) return `${sign}${trim(n / 1e3)}µs`;
  if (n < 1e9) return `${sign}${trim(n / 1e6)}ms`;
  let out = '';
  const h = Math.floor(n / 3600e9);
  if (h > 0) out += `${h}h`;
  n -= h * 3600e9;
  const m = Math.floor(n / 60e9);
  if (h > 0 || m > 0) out += `${m}m`;
  n -= m * 60e9;
  return `${sign}${out}${trim(n / 1e9)}s`;
}

function trim(x: number): string {
  return String(Number(x.toFixed(9)));
}
