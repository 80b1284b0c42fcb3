/**
 * Tempo's power-of-two histograms (engine_metrics.go): quantile_over_time and histogram_over_time count
 * each span in the bucket of its value rounded up to a power of two, and quantiles interpolate
 * exponentially inside a bucket. Replicated exactly so that numbers match Tempo's.
 */

/** The power of two at or above `v` (Log2Bucketize); undefined below 2, which Tempo drops. */
export function log2Bucket(v: number): number | undefined {
  if (!(v >= 2)) return undefined;
  return 2 ** Math.ceil(Math.log2(v));
}

/** One bucket: its upper bound and how many values fell in it. */
export interface HistogramBucket {
  readonly max: number;
  readonly count: number;
}

/**
 * The `p` quantile of buckets sorted by bound (Log2Quantile): the bucket holding the ceil(p·total)-th value,
 * interpolated between the previous bound (or half the bound for the first bucket) on a log2 scale.
 * 0 for no buckets or a `p` outside [0, 1].
 */
export function log2Quantile(p: number, buckets: readonly HistogramBucket[]): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || buckets.length === 0) return 0;
  let totalCount = 0;
  for (const b of buckets) totalCount += b.count;
  if (totalCount === 0) return 0;
  const maxSamples = Math.max(1, Math.ceil(p * totalCount));
  let total = 0;
  let bucket = 0;
  for (let i = 0; i < buckets.length; i++) {
    bucket = i;
    const b = buckets[i];
    if (total + b.count > maxSamples) break;
    total += b.count;
    if (total === maxSamples) return b.max;
  }
  const interp = (maxSamples - total) / buckets[bucket].count;
  const maxV = Math.log2(buckets[bucket].max);
  const minV = bucket > 0 ? Math.log2(buckets[bucket - 1].max) : maxV - 1;
  return 2 ** (minV + (maxV - minV) * interp);
}
