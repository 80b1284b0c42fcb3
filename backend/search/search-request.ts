import { BadRequestError } from '../../pipeline/errors.ts';
import { parseTimeRange } from '../api/time-range.ts';
import type { TimeRange } from '../querier/trace-source.ts';
import type { PipelineNode } from '../traceql/ast.ts';
import { parseSearchQuery } from '../traceql/parse-query.ts';
import { legacySearchQuery } from './legacy-tags.ts';

export const DEFAULT_LIMIT = 20;
export const DEFAULT_SPSS = 3;

/** A search, parsed and checked once. */
export interface SearchRequest {
  /** The TraceQL text (the legacy form already turned into TraceQL). */
  readonly text: string;
  readonly query: PipelineNode;
  /** Traces at most. */
  readonly limit: number;
  /** Spans per span set at most. */
  readonly spss: number;
  /** Unix seconds; undefined = everything. */
  readonly range?: TimeRange;
  /**
   * `with (most_recent=true)`: the newest `limit` traces, searched in time order until no newer one can turn
   * up. Without it (Tempo's default) the search stops at the first `limit` traces found, newest blocks first.
   */
  readonly mostRecent: boolean;
}

/** `/api/search` parameters as Tempo reads them; BadRequestError (400) with Tempo's wording when one is wrong. */
export function parseSearchRequest(params: URLSearchParams): SearchRequest {
  const q = params.get('q') ?? '';
  const legacy = { tags: params.get('tags') ?? '', minDuration: params.get('minDuration') ?? '', maxDuration: params.get('maxDuration') ?? '' };
  if (q !== '' && legacy.tags !== '') throw new BadRequestError('invalid request: tags and q cannot be given together');
  const text = q !== '' ? q : legacySearchQuery(legacy);
  const range = parseTimeRange(params);
  const { pipeline, hints } = parseTraceQL(text);
  return {
    text, query: pipeline, range, mostRecent: hints.mostRecent,
    limit: positiveInt(params, 'limit', DEFAULT_LIMIT),
    spss: positiveInt(params, 'spss', DEFAULT_SPSS),
  };
}

function parseTraceQL(text: string): ReturnType<typeof parseSearchQuery> {
  try {
    return parseSearchQuery(text);
  } catch (err) {
    if (err instanceof BadRequestError) throw new BadRequestError(`invalid TraceQL query: ${err.message}`, { cause: err });
    throw err;
  }
}

function positiveInt(params: URLSearchParams, name: string, fallback: number): number {
  const text = params.get(name) ?? '';
  if (text === '') return fallback;
  if (!/^[+-]?[0-9]+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new BadRequestError(`invalid ${name}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  }
  const n = Number(text);
  if (n <= 0) throw new BadRequestError(`invalid ${name}: must be a positive number`);
  return n;
}
