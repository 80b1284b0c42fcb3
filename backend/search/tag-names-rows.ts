import { ByteSource } from '../block/byte-source.ts';
import { readDict } from '../block/bytes-dict.ts';
import { COL } from '../block/column-names.ts';
import { column, type RowGroupColumns } from '../block/row-group-cursor.ts';
import { ProtoReader } from '../../pipeline/otlp/proto-reader.ts';
import { readEvent, readLink } from '../traceql/event-link-reader.ts';
import { resourceAttributes, scopeInfo } from './dict-entries.ts';
import type { SpanLayout } from './row-group-layout.ts';
import { StringRows, utf8 } from './string-rows.ts';
import type { TagNameCollector } from './tag-collect.ts';
import { dictEntry } from './tag-columns.ts';

/**
 * The attribute names of some span rows of a fully loaded row group (`rows[s]` = 1), read from the columns
 * without decoding a value: span keys through the rows' key shapes and `dict.key`, resource and scope names
 * from the entries those rows use, event and link names from those rows' events and links. For a group only
 * partly in the time range; the rows must be modelled ones (not kept as bytes).
 */
export function rowTagNames(columns: RowGroupColumns, layout: SpanLayout, rows: Uint8Array, into: TagNameCollector): void {
  const keys = readDict(new ByteSource(column(columns, COL.dictKey)));
  const shapes = new StringRows(column(columns, COL.spanAttrKeys), layout.spans);
  const shapeSeen = new Uint8Array(shapes.distinct);
  const resources = new Set<number>();
  const scopes = new Set<number>();
  for (let s = 0; s < layout.spans; s++) {
    if (rows[s] !== 1) continue;
    resources.add(layout.spanResource[s]);
    scopes.add(layout.spanScope[s]);
    const shape = shapes.id(s);
    if (shapeSeen[shape] === 1) continue;
    shapeSeen[shape] = 1;
    const ids = new ByteSource(shapes.bytes(s));
    while (!ids.done()) into.addName('span', utf8(dictEntry(keys, ids.u())));
  }
  const resourceDict = readDict(new ByteSource(column(columns, COL.dictResource)));
  for (const id of resources) for (const key of resourceAttributes(dictEntry(resourceDict, id)).keys()) into.addName('resource', key);
  const scopeDict = readDict(new ByteSource(column(columns, COL.dictScope)));
  for (const id of scopes) for (const key of scopeInfo(dictEntry(scopeDict, id)).scopeAttributes.keys()) into.addName('instrumentation', key);
  eventNames(columns, layout.spans, rows, into);
  const links = new ByteSource(column(columns, COL.spanLinks));
  for (let s = 0; s < layout.spans; s++) {
    for (let n = links.u(); n > 0; n--) {
      const link = links.bytes();
      if (rows[s] === 1) for (const key of readLink(new ProtoReader(link), link.length).attributes.keys()) into.addName('link', key);
    }
  }
}

/** Names of the rows' events: their other fields are in `span.event.rest`, one entry per event in span order. */
function eventNames(columns: RowGroupColumns, spans: number, rows: Uint8Array, into: TagNameCollector): void {
  const counts = new ByteSource(column(columns, COL.spanEvents));
  const wanted: number[] = [];
  let events = 0;
  for (let s = 0; s < spans; s++) {
    for (let n = counts.u(); n > 0; n--) {
      counts.z64();
      if (rows[s] === 1) wanted.push(events);
      events++;
    }
  }
  if (wanted.length === 0) return;
  const rests = new StringRows(column(columns, COL.spanEventRest), events);
  const seen = new Set<number>();
  for (const e of wanted) {
    const id = rests.id(e);
    if (seen.has(id)) continue;
    seen.add(id);
    const rest = rests.bytes(e);
    for (const key of readEvent(new ProtoReader(rest), rest.length).attributes.keys()) into.addName('event', key);
  }
}
