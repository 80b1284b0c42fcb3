import type { SecondStageNode } from '../traceql/ast.ts';
import { promLabels } from './series-labels.ts';
import type { OutputSeries } from './series-output.ts';

/**
 * `| topk(n)` / `| bottomk(n)` (Tempo's processTopK/processBottomK): at each timestamp only the n highest
 * (lowest) values are kept, the others become NaN (left out of the answer); with n or fewer series nothing
 * changes. Ties go to the series whose Prometheus text sorts first (Tempo leaves them to map order).
 */
export function applySecondStage(series: OutputSeries[], stage: SecondStageNode | undefined): OutputSeries[] {
  if (stage === undefined || series.length <= stage.limit) return series;
  const sign = stage.kind === 'topk' ? -1 : 1;
  const keyed = series.map((s) => ({ s, key: promLabels(s.labels), kept: s.values.map(() => NaN) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const intervals = series[0].values.length;
  for (let i = 0; i < intervals; i++) {
    const ranked = keyed.filter((k) => !Number.isNaN(k.s.values[i]))
      .sort((a, b) => sign * (a.s.values[i] - b.s.values[i]));
    for (const k of ranked.slice(0, stage.limit)) k.kept[i] = k.s.values[i];
  }
  return keyed.filter((k) => k.kept.some((v) => !Number.isNaN(v))).map((k) => ({ labels: k.s.labels, values: k.kept, exemplars: k.s.exemplars }));
}
