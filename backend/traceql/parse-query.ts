import { BadRequestError } from '../../pipeline/errors.ts';
import { MAX_AST_HEIGHT, tooDeepAt } from './ast-height.ts';
import type { MetricsQueryNode, PipelineNode } from './ast.ts';
import { tokenize } from './lexer.ts';
import { checkMetrics } from './metrics-check.ts';
import { parseWithMetrics, type SplitQuery } from './metrics-parser.ts';
import { splitHints, type QueryHints } from './query-hints.ts';
import { errorAt } from './traceql-error.ts';
import { checkQuery } from './type-check.ts';

/**
 * Parses and type-checks a TraceQL search query. Throws TraceQLError (a 400) with the line and column; a
 * metrics query (`… | rate()`) is refused: it is answered by the metrics endpoints, not by search.
 */
export function parseQuery(query: string): PipelineNode {
  return parseSearchQuery(query).pipeline;
}

/** parseQuery, with the query's hints (`with (most_recent=true)`). */
export function parseSearchQuery(query: string): { readonly pipeline: PipelineNode; readonly hints: QueryHints } {
  const { split, hints } = parseChecked(query);
  if (split.metrics !== undefined) {
    throw errorAt(`metrics function ${split.metrics.fn}() is not supported by search: use /api/metrics/query_range`, split.metrics.pos);
  }
  return { pipeline: split.pipeline, hints };
}

/** Parses and checks a metrics query; BadRequestError `not a metrics query` (Tempo's words) without a metrics stage. */
export function parseMetricsQuery(query: string): MetricsQueryNode {
  const { split } = parseChecked(query);
  if (split.metrics === undefined) throw new BadRequestError('not a metrics query');
  checkMetrics(split.metrics, split.second);
  return { filter: split.pipeline, metrics: split.metrics, second: split.second };
}

function parseChecked(query: string): { readonly split: SplitQuery; readonly hints: QueryHints } {
  const { tokens, hints } = splitHints(tokenize(query));
  const split = parseWithMetrics(tokens);
  const deep = tooDeepAt(split.pipeline);
  if (deep !== undefined) throw errorAt(`query nested deeper than ${MAX_AST_HEIGHT} levels`, deep.pos);
  checkQuery(split.pipeline);
  return { split, hints };
}
