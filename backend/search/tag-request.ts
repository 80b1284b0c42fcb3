import { BadRequestError } from '../../pipeline/errors.ts';
import { parseTimeRange } from '../api/time-range.ts';
import type { TimeRange } from '../querier/trace-source.ts';
import type { FieldRef } from '../traceql/ast.ts';
import { decodeTagName, parseTagIdentifier } from './tag-identifier.ts';
import { tagFilter } from './tag-filter.ts';
import type { AttributeTagScope, TagScan } from './tag-service.ts';

export const TAG_SCOPES: readonly TagScope[] = ['resource', 'span', 'event', 'link', 'instrumentation', 'intrinsic'];
export type TagScope = AttributeTagScope | 'intrinsic';

export interface TagNamesRequest {
  /** undefined = every scope (`scope` absent, empty or `none`). */
  readonly scope: TagScope | undefined;
  readonly scan: TagScan;
  /** Names per scope at most; 0 = no limit. */
  readonly limit: number;
}

export interface TagValuesRequest {
  /** The tag name, decoded until stable. */
  readonly name: string;
  readonly scan: TagScan;
  /** Values at most; 0 = no limit. */
  readonly limit: number;
}

export interface TagValuesV2Request extends TagValuesRequest {
  readonly field: FieldRef;
}

/** `/api/search/tags` and `/api/v2/search/tags`: `scope`, `q` (v2), `start`, `end`, `limit`. */
export function parseTagNamesRequest(params: URLSearchParams, withQuery: boolean): TagNamesRequest {
  const text = params.get('scope') ?? '';
  const scope = text === '' || text === 'none' ? undefined : TAG_SCOPES.find((s) => s === text);
  if (scope === undefined && text !== '' && text !== 'none') throw new BadRequestError(`invalid scope: ${text}`);
  return { scope, scan: scan(params, withQuery), limit: tagLimit(params) };
}

/** `/api/search/tag/<name>/values`: a bare attribute name (or `status.code`). */
export function parseTagValuesRequest(rawName: string, params: URLSearchParams): TagValuesRequest {
  return { name: decodeTagName(rawName), scan: scan(params, false), limit: tagLimit(params) };
}

/** `/api/v2/search/tag/<identifier>/values`: a TraceQL identifier (400 when not one), `q`, `start`, `end`, `limit`. */
export function parseTagValuesV2Request(rawName: string, params: URLSearchParams): TagValuesV2Request {
  const name = decodeTagName(rawName);
  return { name, field: parseTagIdentifier(name), scan: scan(params, true), limit: tagLimit(params) };
}

function scan(params: URLSearchParams, withQuery: boolean): TagScan {
  return { filter: withQuery ? tagFilter(params.get('q') ?? '') : undefined, range: tagRange(params) };
}

/**
 * `start`/`end` in unix seconds: a value that is not an integer is a 400, but, as in Tempo's tag handlers,
 * an end not after the start only drops the range.
 */
export function tagRange(params: URLSearchParams): TimeRange | undefined {
  const only = (name: string): URLSearchParams => new URLSearchParams([[name, params.get(name) ?? '']]);
  const start = parseTimeRange(only('start'))?.start ?? 0;
  const end = parseTimeRange(only('end'))?.end ?? 0;
  if (start === 0 && end === 0) return undefined;
  if (start !== 0 && end !== 0 && end <= start) return undefined;
  return { start, end: end === 0 ? Number.MAX_SAFE_INTEGER : end };
}

function tagLimit(params: URLSearchParams): number {
  const text = params.get('limit') ?? '';
  if (text === '') return 0;
  if (!/^[+-]?[0-9]+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new BadRequestError(`invalid limit: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  }
  const n = Number(text);
  if (n < 0) throw new BadRequestError('invalid limit: must not be negative');
  return n;
}
