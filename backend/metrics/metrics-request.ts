import { BadRequestError } from '../../pipeline/errors.ts';
import type { MetricsQueryNode } from '../traceql/ast.ts';
import { parseMetricsQuery } from '../traceql/parse-query.ts';
import { MAX_EXEMPLARS } from './exemplar-budget.ts';
import { defaultStep, parseBounds, parseStep } from './request-times.ts';
import { instantGrid, rangeGrid, type TimeGrid } from './time-grid.ts';

/** The longest range a metrics query may cover (Tempo's query_frontend.metrics.max_duration default, 24h). */
const MAX_RANGE_NS = 24n * 3_600_000_000_000n;

/** A metrics query, parsed and checked once, with the intervals it is answered on. */
export interface MetricsRequest {
  readonly text: string;
  readonly query: MetricsQueryNode;
  readonly grid: TimeGrid;
  /** Exemplars to return at most (none for instant queries). */
  readonly exemplars: number;
}

/**
 * `/api/metrics/query_range` parameters as Tempo reads them: the query in `q` (or `query`, which older Grafana
 * sends), `start`/`end`/`since` (request-times.ts), `step` (default from the range); the grid is aligned to
 * the step. BadRequestError (400) with Tempo's wording when something is wrong.
 */
export function parseQueryRangeRequest(params: URLSearchParams, nowNs = nowNanos()): MetricsRequest {
  const text = queryText(params);
  const { start, end } = parseBounds(params, nowNs);
  const step = parseStep(params) ?? defaultStep(start, end);
  const query = parseMetricsQuery(text);
  checkRange(start, end);
  if (step <= 0n) throw new BadRequestError('step must be greater than 0');
  return { text, query, grid: rangeGrid(start, end, step), exemplars: exemplarLimit(params) };
}

/** `/api/metrics/query`: the same parameters without `step`; one interval over the whole range, as Tempo does. */
export function parseInstantRequest(params: URLSearchParams, nowNs = nowNanos()): MetricsRequest {
  const text = queryText(params);
  const { start, end } = parseBounds(params, nowNs);
  const query = parseMetricsQuery(text);
  checkRange(start, end);
  return { text, query, grid: instantGrid(start, end), exemplars: 0 };
}

function queryText(params: URLSearchParams): string {
  const q = params.get('q') ?? '';
  return q !== '' ? q : params.get('query') ?? '';
}

/** `exemplars=N`: N when 1…100, else Tempo's maximum, 100 (0 or absent means the maximum too). */
function exemplarLimit(params: URLSearchParams): number {
  const n = Number(params.get('exemplars') ?? '');
  return Number.isInteger(n) && n > 0 && n <= MAX_EXEMPLARS ? n : MAX_EXEMPLARS;
}

function checkRange(start: bigint, end: bigint): void {
  if (start <= 0n) throw new BadRequestError('start required');
  if (end <= start) throw new BadRequestError('end must be greater than start');
  if (end - start > MAX_RANGE_NS) throw new BadRequestError('metrics query time range exceeds the maximum allowed duration of 24h0m0s');
}

function nowNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
