import type { FieldExpr } from './ast.ts';
import type { Span, SpanEvent, SpanLink } from './span-model.ts';

/** The event and link a filter's `event.`/`link.` fields read from while one span is evaluated. */
export interface Binding {
  readonly event: SpanEvent | undefined;
  readonly link: SpanLink | undefined;
}

interface Usage { readonly events: boolean; readonly links: boolean }

const EVENT_INTRINSICS = new Set(['eventName', 'eventTimeSinceStart']);
const LINK_INTRINSICS = new Set(['linkTraceId', 'linkSpanId']);
const usageCache = new WeakMap<FieldExpr, Usage>();
const NONE: readonly Binding[] = [{ event: undefined, link: undefined }];

/**
 * Every (event, link) pair of the span the filter must be tried with: one per event when it names event
 * fields, one per link when it names link fields (their product when both); a span without any is tried
 * once, unbound, so that `event.x = nil` can still match.
 */
export function bindings(e: FieldExpr, span: Span): readonly Binding[] {
  const use = usage(e);
  if (!use.events && !use.links) return NONE;
  const events: ReadonlyArray<SpanEvent | undefined> = use.events && span.events.length > 0 ? span.events : [undefined];
  const links: ReadonlyArray<SpanLink | undefined> = use.links && span.links.length > 0 ? span.links : [undefined];
  const out: Binding[] = [];
  for (const event of events) for (const link of links) out.push({ event, link });
  return out;
}

function usage(e: FieldExpr): Usage {
  let u = usageCache.get(e);
  if (u === undefined) {
    u = scan(e);
    usageCache.set(e, u);
  }
  return u;
}

function scan(e: FieldExpr): Usage {
  switch (e.kind) {
    case 'attribute': return { events: e.scope === 'event', links: e.scope === 'link' };
    case 'intrinsic': return { events: EVENT_INTRINSICS.has(e.intrinsic), links: LINK_INTRINSICS.has(e.intrinsic) };
    case 'static': return { events: false, links: false };
    case 'unary': return usage(e.operand);
    case 'binary': {
      const l = usage(e.lhs);
      const r = usage(e.rhs);
      return { events: l.events || r.events, links: l.links || r.links };
    }
  }
}
