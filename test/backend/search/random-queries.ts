/** Random TraceQL queries over the fields of the scan corpus, each one the type checks accept. */
import { parseQuery } from '../../../backend/traceql/parse-query.ts';

const FIELDS = [
  'span.http.status_code', 'span.foo', 'span.retry', 'span.ratio', 'span.service.name', 'resource.service.name',
  'resource.foo', 'resource.http.status_code', '.service.name', '.foo', '.http.status_code', '.ratio', 'name', 'status',
  'kind', 'duration', 'statusMessage', 'span.str', 'span.int.neg', 'span.dbl.price', 'span.array', 'span.bytes',
  'span.no.value', 'span.missing', 'rootName', 'childCount', 'instrumentation.scope.attr',
];
const OPS = ['=', '!=', '>', '>=', '<', '<=', '=~', '!~'];
const LITERALS = [
  '503', '200', '404', '503.0', '2.5', '3', '0', '-42', '19.99', '"bar"', '"baz"', '"x"', '"db"', '"503"', '"GET /cart"',
  '"render"', '"b.*"', '".*a.*"', '"a"', 'true', 'false', 'nil', 'error', 'ok', 'unset', 'server', 'client', 'internal',
  '10ms', '1ms', '20ms', '"boom"', '""',
];
const SPANSET_OPS = ['&&', '||', '>', '>>', '<', '<<', '~', '!>', '&>', '!~', '&~'];
const PIPES = ['| count() > 1', '| count() = 0', '| by(resource.service.name)', '| select(span.foo)', '| avg(duration) > 10ms', '| coalesce()'];

export function randomQueries(count: number, seed: number): string[] {
  let state = seed >>> 0;
  const rand = (): number => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const comparison = (): string => {
    const r = rand();
    const c = `${pick(FIELDS)} ${pick(OPS)} ${pick(LITERALS)}`;
    if (r < 0.1) return `${pick(LITERALS)} ${pick(OPS)} ${pick(FIELDS)}`;
    if (r < 0.15) return `!(${c})`;
    if (r < 0.2) return pick(['span.retry', '!span.retry', 'true', 'false']);
    return c;
  };
  const expr = (depth: number): string => {
    if (depth === 0 || rand() < 0.5) return comparison();
    return `(${expr(depth - 1)} ${pick(['&&', '||'])} ${expr(depth - 1)})`;
  };
  const spanset = (depth: number): string => {
    if (depth === 0 || rand() < 0.6) return `{ ${expr(2)} }`;
    return `${spanset(depth - 1)} ${pick(SPANSET_OPS)} ${spanset(depth - 1)}`;
  };
  const out: string[] = [];
  while (out.length < count) {
    let q = spanset(2);
    if (rand() < 0.25) q = `${q} ${pick(PIPES)}`;
    if (rand() < 0.1) q = `(${q}) && { ${expr(1)} }`;
    try {
      parseQuery(q);
    } catch {
      continue;
    }
    out.push(q);
  }
  return out;
}
