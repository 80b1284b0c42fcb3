import { ByteSource } from '../block/byte-source.ts';
import { readDict } from '../block/bytes-dict.ts';
import { COL } from '../block/column-names.ts';
import type { RowGroupRef } from '../block/row-group-index.ts';
import { column } from '../block/row-group-cursor.ts';
import { ProtoReader } from '../../pipeline/otlp/proto-reader.ts';
import { readEvent, readLink } from '../traceql/event-link-reader.ts';
import { resourceAttributes, scopeInfo } from './dict-entries.ts';
import { utf8 } from './string-rows.ts';
import type { TagNameCollector } from './tag-collect.ts';
import { dictEntry, distinctStrings, DICT_USE_COLUMNS, spansHaveAny, usedDictIds, type GroupColumns } from './tag-columns.ts';

const SPAN_ATTR = 'span.attr:';
const UNNAMED_ATTR = 'span.attr#';

/**
 * The columns tag names are read from in this group: the dictionaries and which entries spans use, events
 * and links when the group has some (attribute columns are not read, their names are in the index).
 */
export function nameColumns(group: RowGroupRef): Set<string> {
  const out = new Set<string>([...DICT_USE_COLUMNS, COL.dictResource, COL.dictScope]);
  if (group.columns.some((c) => c.name.startsWith(UNNAMED_ATTR))) out.add(COL.dictKey);
  if (spansHaveAny(group, COL.spanEvents)) out.add(COL.spanEventRest);
  if (spansHaveAny(group, COL.spanLinks)) out.add(COL.spanLinks);
  return out;
}

/**
 * The attribute names of a row group's modelled spans, as TagNameCollector gives them for the same spans:
 * span names from the index's `span.attr:<key>` columns (a key without value counts, as in the engine's
 * map; a non-UTF-8 key read from `dict.key` as the OTLP reader reads it), resource and scope names from
 * the dictionary entries some span uses, event and link names from their columns. Spans and traces kept
 * as bytes hold no names here: the caller reads those as span models. (Events and links of a group without
 * any are not loaded: absent columns read as none.)
 */
export function groupTagNames({ group, columns }: GroupColumns, into: TagNameCollector): void {
  let keys: Uint8Array[] | undefined;
  for (const c of group.columns) {
    if (c.name.startsWith(SPAN_ATTR)) into.addName('span', c.name.slice(SPAN_ATTR.length));
    else if (c.name.startsWith(UNNAMED_ATTR)) {
      keys ??= readDict(new ByteSource(column(columns, COL.dictKey)));
      into.addName('span', utf8(dictEntry(keys, Number(c.name.slice(UNNAMED_ATTR.length)))));
    }
  }
  const used = usedDictIds(columns, group.traces);
  const resources = distinctStrings(column(columns, COL.dictResource), true);
  for (const id of used.resources) for (const key of resourceAttributes(dictEntry(resources, id)).keys()) into.addName('resource', key);
  const scopes = distinctStrings(column(columns, COL.dictScope), true);
  for (const id of used.scopes) for (const key of scopeInfo(dictEntry(scopes, id)).scopeAttributes.keys()) into.addName('instrumentation', key);
  const events = columns.get(COL.spanEventRest);
  for (const rest of events === undefined ? [] : distinctStrings(events)) {
    for (const key of readEvent(new ProtoReader(rest), rest.length).attributes.keys()) into.addName('event', key);
  }
  const links = new ByteSource(columns.get(COL.spanLinks) ?? new Uint8Array());
  while (!links.done()) {
    for (let n = links.u(); n > 0; n--) {
      const link = links.bytes();
      for (const key of readLink(new ProtoReader(link), link.length).attributes.keys()) into.addName('link', key);
    }
  }
}
