import { BadRequestError } from '../../pipeline/errors.ts';
import type { SearchRequest } from './search-request.ts';

/** `query_frontend.search` of the config, units parsed: how a search is split, bounded and refused. */
export interface SearchSettings {
  /** Jobs of one search in flight at once. */
  readonly concurrentJobs: number;
  readonly targetBytesPerJob: number;
  /** `limit` when the request gives none. */
  readonly defaultResultLimit: number;
  /** A larger `limit` is refused (400); 0 = no maximum. */
  readonly maxResultLimit: number;
  /** A longer end − start is refused (400); 0 = no maximum. */
  readonly maxDurationMs: number;
  /** A search still running after this is answered 504. */
  readonly queryTimeoutMs: number;
}

/** Tempo's refusals, in its words (modules/frontend search handlers and sharder); BadRequestError (400). */
export function checkSearchLimits(request: SearchRequest, settings: Pick<SearchSettings, 'maxResultLimit' | 'maxDurationMs'>): void {
  if (settings.maxResultLimit !== 0 && request.limit > settings.maxResultLimit) {
    throw new BadRequestError(`limit ${request.limit} exceeds max limit ${settings.maxResultLimit}`);
  }
  const range = request.range;
  if (settings.maxDurationMs === 0 || range === undefined) return;
  // An open end (start only) is as unbounded as Tempo's end=0.
  const open = range.end === Number.MAX_SAFE_INTEGER;
  if (open || (range.end - range.start) * 1000 > settings.maxDurationMs) {
    throw new BadRequestError(
      `range specified by start and end exceeds ${goDuration(settings.maxDurationMs)}. received start=${range.start} end=${open ? 0 : range.end}`,
    );
  }
}

/** A duration as Go's time.Duration prints it: `168h0m0s`, `1m30s`, `2.5s`, `500ms`. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = `${(ms % 60_000) / 1000}s`;
  return h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s;
}
