import type { PipelineNode } from './ast.ts';
import { attributeValue, intrinsicValue } from './field-eval.ts';
import { INTRINSIC_KEYS } from './intrinsic-names.ts';
import { parseQuery } from './parse-query.ts';
import { evalPipeline } from './pipeline-eval.ts';
import { referencedFields } from './referenced-fields.ts';
import type { SpanFieldRef } from './referenced-fields.ts';
import type { Spanset, SpansetAttribute } from './spanset.ts';
import type { Span, TraceModel } from './span-model.ts';
import type { AttributeValue } from './value.ts';

/**
 * One attribute or intrinsic of a matched span that the query named. `name` is the attribute name without
 * its scope (`http.route`), or the intrinsic's key (`status`, `span:id`; see INTRINSIC_KEYS).
 */
export interface MatchedField {
  readonly name: string;
  readonly scope: 'span' | 'resource' | 'instrumentation' | 'intrinsic';
  readonly value: AttributeValue;
}

export interface SpanMatch {
  readonly span: Span;
  readonly attributes: readonly MatchedField[];
}

export interface SpansetMatch {
  /** In trace order; search answers keep the first `spss` of them and report the count as `matched`. */
  readonly spans: readonly SpanMatch[];
  readonly attributes: readonly SpansetAttribute[];
}

export interface TraceMatch {
  readonly trace: TraceModel;
  readonly spanSets: readonly SpansetMatch[];
}

/**
 * The reference engine: every trace with at least one non-empty spanset after the query's pipeline, in
 * input order. Straightforward over speed, but linear per stage in the trace's spans.
 */
export function evaluate(query: string | PipelineNode, traces: Iterable<TraceModel>): TraceMatch[] {
  const ast = typeof query === 'string' ? parseQuery(query) : query;
  const fields = referencedFields(ast);
  const out: TraceMatch[] = [];
  for (const trace of traces) {
    const match = traceMatch(trace, evalPipeline(ast, [{ spans: trace.spans, attributes: [] }], trace), fields);
    if (match !== undefined) out.push(match);
  }
  return out;
}

interface Prepared {
  readonly fields: readonly SpanFieldRef[];
  /** The stages after the first. */
  readonly rest: PipelineNode;
}

const prepared = new WeakMap<PipelineNode, Prepared>();

/**
 * What `evaluate()` gives for one trace when the query's first stage is a span filter and `spans` are the
 * spans of the trace it keeps (non-empty, in trace order): the later stages run on them as the engine runs
 * them. For callers that already know those spans (a column scan's exact verdicts) and need not run the
 * filter again.
 */
export function matchAfterFilter(query: PipelineNode, trace: TraceModel, spans: readonly Span[]): TraceMatch | undefined {
  let p = prepared.get(query);
  if (p === undefined) prepared.set(query, (p = { fields: referencedFields(query), rest: { ...query, stages: query.stages.slice(1) } }));
  const input: Spanset[] = [{ spans, attributes: [] }];
  return traceMatch(trace, p.rest.stages.length === 0 ? input : evalPipeline(p.rest, input, trace), p.fields);
}

function traceMatch(trace: TraceModel, spansets: readonly Spanset[], fields: readonly SpanFieldRef[]): TraceMatch | undefined {
  const sets = spansets.filter((ss) => ss.spans.length > 0);
  return sets.length === 0 ? undefined : { trace, spanSets: sets.map((ss) => spansetMatch(ss, fields, trace)) };
}

function spansetMatch(ss: Spanset, fields: readonly SpanFieldRef[], trace: TraceModel): SpansetMatch {
  return {
    spans: ss.spans.map((span) => ({ span, attributes: matchedFields(span, fields, trace) })),
    attributes: ss.attributes,
  };
}

function matchedFields(span: Span, fields: readonly SpanFieldRef[], trace: TraceModel): MatchedField[] {
  const out: MatchedField[] = [];
  for (const f of fields) {
    if (f.kind === 'intrinsic') {
      const value = intrinsicValue(f.intrinsic, span, trace);
      if (value.type !== 'nil') out.push({ name: INTRINSIC_KEYS[f.intrinsic], scope: 'intrinsic', value });
      continue;
    }
    const value = attributeValue(f, span);
    if (value.type === 'nil') continue;
    const scope = f.scope === 'none' ? (span.attributes.has(f.name) ? 'span' : 'resource') : f.scope;
    if (!out.some((m) => m.name === f.name && m.scope === scope)) out.push({ name: f.name, scope, value });
  }
  return out;
}
