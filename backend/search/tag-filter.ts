import { BadRequestError } from '../../pipeline/errors.ts';
import type { PipelineNode } from '../traceql/ast.ts';
import { parseQuery } from '../traceql/parse-query.ts';

/**
 * The `q` of a tag request. Grafana sends the query being typed, often incomplete (`{ resource.x = }`), so
 * a query that does not parse is not an error: its first filter's `&&`-joined conditions that parse on
 * their own are used, and without any the filter is left out. `{}` and '' filter nothing (undefined).
 */
export function tagFilter(q: string): PipelineNode | undefined {
  const text = q.trim();
  if (text === '' || /^\{\s*\}$/.test(text)) return undefined;
  return tryParse(text) ?? validMatchers(text);
}

function validMatchers(text: string): PipelineNode | undefined {
  const open = text.indexOf('{');
  if (open < 0) return undefined;
  const close = text.indexOf('}', open);
  const body = text.slice(open + 1, close < 0 ? undefined : close);
  const kept = body.split('&&').map((s) => s.trim()).filter((s) => s !== '' && tryParse(`{ ${s} }`) !== undefined);
  return kept.length === 0 ? undefined : tryParse(`{ ${kept.join(' && ')} }`);
}

function tryParse(text: string): PipelineNode | undefined {
  try {
    return parseQuery(text);
  } catch (err) {
    // Syntax and type errors (400s) mean "not usable"; anything else is a bug and goes up.
    if (err instanceof BadRequestError) return undefined;
    throw err;
  }
}
