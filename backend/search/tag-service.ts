import type { TimeRange } from '../querier/trace-source.ts';
import type { FieldRef, PipelineNode } from '../traceql/ast.ts';

/** Scopes whose attribute names are read from the data (intrinsic names are a fixed list). */
export const ATTRIBUTE_SCOPES = ['resource', 'span', 'event', 'link', 'instrumentation'] as const;
export type AttributeTagScope = typeof ATTRIBUTE_SCOPES[number];

/** A tag value as `/api/v2/search/tag/<id>/values` answers it (`pkg/traceql/util.go` types). */
export interface TypedTagValue {
  readonly type: 'string' | 'int' | 'float' | 'bool' | 'duration' | 'keyword';
  readonly value: string;
}

/** Which traces and spans tag names and values are read from. */
export interface TagScan {
  /** Only spans matching this query count; undefined = every span. */
  readonly filter: PipelineNode | undefined;
  /** Unix seconds; undefined = everything. */
  readonly range: TimeRange | undefined;
  /**
   * The answer's cap (per scope for names; 0 or absent = none): once that many distinct entries are held,
   * checked after the live traces and after each row group, the rest of the data is not read (Tempo's bound).
   */
  readonly limit?: number;
}

export interface TagNamesAnswer {
  /** Per scope, sorted and unique. */
  readonly names: Readonly<Record<AttributeTagScope, readonly string[]>>;
  readonly inspectedBytes: number;
}

export interface TagValuesAnswer {
  /** Sorted by value then type, unique. */
  readonly values: readonly TypedTagValue[];
  readonly inspectedBytes: number;
}

/** What the API's tag routes need: tag names and values over this process's search sources. */
export interface TagService {
  tagNames(tenant: string, scan: TagScan, signal?: AbortSignal): Promise<TagNamesAnswer>;
  /** Values of a span-level field; `field` is an attribute or an intrinsic with real values. */
  tagValues(tenant: string, field: FieldRef, scan: TagScan, signal?: AbortSignal): Promise<TagValuesAnswer>;
}
