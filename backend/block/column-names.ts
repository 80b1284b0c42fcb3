/**
 * Column names of a tl2 row group, as listed in the block index. Rows: one per trace (`trace.*`), per
 * ResourceSpans (`rs.*`), per ScopeSpans (`ss.*`), per span (`span.*`); `dict.*` are dictionaries.
 */
export const COL = {
  traceId: 'trace.id',
  traceStart: 'trace.start',
  traceRaw: 'trace.raw',
  traceResourceSpans: 'trace.rs',
  rsResource: 'rs.resource',
  rsScopeSpans: 'rs.ss',
  ssScope: 'ss.scope',
  ssSpans: 'ss.spans',
  dictResource: 'dict.resource',
  dictScope: 'dict.scope',
  dictKey: 'dict.key',
  spanId: 'span.id',
  spanParent: 'span.parent',
  spanParentExternal: 'span.parent.ext',
  spanName: 'span.name',
  spanKind: 'span.kind',
  spanStart: 'span.start',
  spanDuration: 'span.duration',
  spanState: 'span.state',
  spanFlags: 'span.flags',
  spanDropped: 'span.dropped',
  spanStatus: 'span.status',
  spanStatusMessage: 'span.status.message',
  spanAttrKeys: 'span.attr.keys',
  spanEvents: 'span.events',
  spanEventRest: 'span.event.rest',
  spanLinks: 'span.links',
  spanRest: 'span.rest',
} as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The column of span attribute `key`: `span.attr:<key>`, so a search finds it by name in the index; a key
 * that is not valid UTF-8 is named by its id in `dict.key` instead.
 */
export function attributeColumnName(key: Uint8Array, id: number): string {
  try {
    return `span.attr:${utf8.decode(key)}`;
  } catch {
    return `span.attr#${id}`;
  }
}
