import { BadRequestError } from '../../pipeline/errors.ts';
import { parseMetricsQuery } from '../traceql/parse-query.ts';
import { LiveIntervals } from './live-intervals.ts';
import type { MetricsJobResult, MetricsWork } from './metrics-job.ts';

/**
 * A metrics job's result as JSON text: numbers JSON cannot hold (an empty interval's ±Infinity bounds, NaN
 * measures) written as `{"$num":"Infinity"}`.
 */
export function metricsJobJson(result: MetricsJobResult): string {
  return JSON.stringify(result, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $num: String(v) } : v));
}

/** Reads metricsJobJson() back. */
export function parseMetricsJobJson(text: string): MetricsJobResult {
  return JSON.parse(text, (_key, v: unknown) => (
    typeof v === 'object' && v !== null && '$num' in v && Object.keys(v).length === 1 ? Number((v as { $num: string }).$num) : v
  )) as MetricsJobResult;
}

/**
 * The work of a job as a querier's URL parameters: the query, the grid as the frontend aligned it (in unix
 * nanoseconds: aligning again would move it), the exemplar budget and the live intervals.
 */
export function metricsWorkParams(work: MetricsWork): Record<string, string> {
  const { request, live } = work;
  const { grid } = request;
  return {
    q: request.text, gridStart: String(grid.start), gridEnd: String(grid.end), gridStep: String(grid.step),
    ...(grid.instant ? { instant: 'true' } : {}), exemplars: String(request.exemplars), live: live.text(),
  };
}

/** Reads metricsWorkParams() back; BadRequestError when something is missing or wrong. */
export function parseMetricsWorkParams(params: URLSearchParams): MetricsWork {
  const text = params.get('q') ?? '';
  const [start, end, step] = ['gridStart', 'gridEnd', 'gridStep'].map((name) => {
    const v = params.get(name) ?? '';
    if (!/^\d+$/.test(v)) throw new BadRequestError(`invalid ${name} ${JSON.stringify(v)}`);
    return BigInt(v);
  }) as [bigint, bigint, bigint];
  if (step <= 0n || end <= start) throw new BadRequestError('invalid grid');
  const live = LiveIntervals.parse(params.get('live') ?? '');
  if (live === undefined) throw new BadRequestError(`invalid live ${JSON.stringify(params.get('live'))}`);
  const exemplars = Number(params.get('exemplars') ?? '0');
  const grid = { start, end, step, instant: params.get('instant') === 'true', intervals: Number((end - start) / step) };
  return { request: { text, query: parseMetricsQuery(text), grid, exemplars: Number.isInteger(exemplars) ? exemplars : 0 }, live };
}
