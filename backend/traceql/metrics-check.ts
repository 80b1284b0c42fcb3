import { BadRequestError } from '../../pipeline/errors.ts';
import type { MetricsNode, SecondStageNode } from './ast.ts';

/** Group-by values a metrics query may have (Tempo's maxGroupBys); histograms keep one for the bucket. */
const MAX_GROUP_BYS = 5;

/** Tempo's validate() of the metrics stages, with its messages (plain 400s: they point at no position). */
export function checkMetrics(m: MetricsNode, second: SecondStageNode | undefined): void {
  const bucketed = m.fn === 'quantile_over_time' || m.fn === 'histogram_over_time';
  if (m.by.length > MAX_GROUP_BYS || (bucketed && m.by.length >= MAX_GROUP_BYS)) {
    throw new BadRequestError(`metrics group by ${m.by.length} values not yet supported`);
  }
  for (const q of m.quantiles) {
    if (q < 0 || q > 1) throw new BadRequestError(`quantile must be between 0 and 1: ${q}`);
  }
  if (second !== undefined && second.limit <= 0) throw new BadRequestError('limit must be greater than 0');
}
