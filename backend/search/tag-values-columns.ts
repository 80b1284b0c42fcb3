import { ByteSource } from '../block/byte-source.ts';
import { COL } from '../block/column-names.ts';
import type { RowGroupRef } from '../block/row-group-index.ts';
import { column, type RowGroupColumns } from '../block/row-group-cursor.ts';
import { ProtoReader } from '../../pipeline/otlp/proto-reader.ts';
import type { FieldRef } from '../traceql/ast.ts';
import { readEvent, readLink } from '../traceql/event-link-reader.ts';
import type { AttributeValue } from '../traceql/value.ts';
import { columnValues } from './column-tests.ts';
import { resourceAttributes, scopeInfo } from './dict-entries.ts';
import { firstOccurrences } from './key-occurrences.ts';
import { utf8 } from './string-rows.ts';
import type { TagValueCollector } from './tag-collect.ts';
import { dictEntry, DICT_USE_COLUMNS, distinctStrings, groupModelled, usedDictIds, type GroupColumns } from './tag-columns.ts';

type Source = 'span' | 'resource' | 'scope' | 'events' | 'links' | 'names' | 'messages';

/** Where a field's values are in the columns; undefined for fields only span models give (root names, IDs…). */
function sources(field: FieldRef): readonly Source[] | undefined {
  if (field.kind === 'attribute') {
    switch (field.scope) {
      case 'span': return ['span'];
      case 'resource': return ['resource'];
      case 'none': return ['span', 'resource'];
      case 'instrumentation': return ['scope'];
      case 'event': return ['events'];
      case 'link': return ['links'];
    }
  }
  switch (field.intrinsic) {
    case 'name': return ['names'];
    case 'statusMessage': return ['messages'];
    case 'instrumentationName': case 'instrumentationVersion': return ['scope'];
    case 'eventName': return ['events'];
    case 'linkTraceId': case 'linkSpanId': return ['links'];
    default: return undefined;
  }
}

const COLUMNS: Record<Source, readonly string[]> = {
  span: [COL.dictKey, COL.spanAttrKeys], resource: [...DICT_USE_COLUMNS, COL.dictResource], scope: [...DICT_USE_COLUMNS, COL.dictScope], events: [COL.spanEventRest],
  links: [COL.spanLinks], names: [COL.spanName], messages: [COL.spanStatus, COL.spanStatusMessage],
};

/**
 * The columns `groupTagValues` reads for the field in this group; empty when the
 * index shows the group holds no value of it (a span attribute without a column, every span modelled);
 * undefined when the group's spans must be read as models: a field the columns do not hold, or span
 * attributes with keys that are not UTF-8 (several keys may then read as one name).
 */
export function valueColumns(field: FieldRef, group: RowGroupRef): Set<string> | undefined {
  const from = sources(field);
  if (from === undefined) return undefined;
  const out = new Set<string>();
  for (const source of from) for (const name of COLUMNS[source]) out.add(name);
  if (from.includes('span') && field.kind === 'attribute') {
    if (group.columns.some((c) => c.name.startsWith('span.attr#'))) return undefined;
    const name = `span.attr:${field.name}`;
    if (from.length === 1 && groupModelled(group) && !group.columns.some((c) => c.name === name)) return new Set();
    out.add(name);
  }
  return out;
}

/**
 * The field's values on the row group's modelled spans, as TagValueCollector gives them for the same
 * spans: span attributes from their column (each span's first occurrence of the key, as the engine's map
 * keeps it), resource and scope fields from the dictionary entries some span uses, names and status
 * messages from their columns, event and link fields from theirs. False when the group has spans kept as
 * bytes and the field is one whose column holds a default for them (names, messages): models then.
 * (Span counts are the index's; a column shorter than that throws, as a damaged one does.)
 */
export function groupTagValues(field: FieldRef, { group, columns, rawSpans }: GroupColumns, into: TagValueCollector): boolean {
  const from = sources(field)!;
  if (rawSpans && (from.includes('names') || from.includes('messages'))) return false;
  for (const source of from) {
    switch (source) {
      case 'span': spanValues(field, columns, group.spans, into); break;
      case 'resource': {
        const dict = distinctStrings(column(columns, COL.dictResource), true);
        for (const id of usedDictIds(columns, group.traces).resources) addPresent(into, resourceAttributes(dictEntry(dict, id)).get(attributeName(field)));
        break;
      }
      case 'scope': scopeValues(field, columns, group.traces, into); break;
      case 'events': eventValues(field, columns, into); break;
      case 'links': linkValues(field, columns, into); break;
      case 'names': for (const name of distinctStrings(column(columns, COL.spanName))) into.addValue({ type: 'string', value: utf8(name) }); break;
      case 'messages': messageValues(columns, group.spans, into); break;
    }
  }
  return true;
}

function attributeName(field: FieldRef): string {
  return field.kind === 'attribute' ? field.name : '';
}

function addPresent(into: TagValueCollector, v: AttributeValue | undefined): void {
  if (v !== undefined) into.addValue(v);
}

/** Each span's first value of the key: the column's values picked through the spans' key shapes. */
function spanValues(field: FieldRef, columns: RowGroupColumns, spans: number, into: TagValueCollector): void {
  const name = `span.attr:${attributeName(field)}`;
  if (!columns.has(name)) return;
  const wanted = Buffer.from(attributeName(field), 'utf8');
  const keyId = distinctStrings(column(columns, COL.dictKey), true).findIndex((k) => wanted.equals(k));
  if (keyId < 0) return;
  const values = columnValues(columns, name);
  const first = firstOccurrences(columns, spans, keyId);
  // Dictionary strings and ints share one value object per distinct value: each is added once.
  const seen = new Set<AttributeValue>();
  for (let s = 0; s < first.length; s++) {
    const o = first[s];
    if (o < 0) continue;
    const v = values[o];
    if (v === undefined || seen.has(v)) continue;
    seen.add(v);
    into.addValue(v);
  }
}

function scopeValues(field: FieldRef, columns: RowGroupColumns, traces: number, into: TagValueCollector): void {
  const dict = distinctStrings(column(columns, COL.dictScope), true);
  for (const id of usedDictIds(columns, traces).scopes) {
    const scope = scopeInfo(dictEntry(dict, id));
    if (field.kind === 'attribute') addPresent(into, scope.scopeAttributes.get(field.name));
    else into.addValue({ type: 'string', value: field.intrinsic === 'instrumentationName' ? scope.scopeName : scope.scopeVersion });
  }
}

function eventValues(field: FieldRef, columns: RowGroupColumns, into: TagValueCollector): void {
  for (const rest of distinctStrings(column(columns, COL.spanEventRest))) {
    const event = readEvent(new ProtoReader(rest), rest.length);
    if (field.kind === 'attribute') addPresent(into, event.attributes.get(field.name));
    else into.addValue({ type: 'string', value: event.name });
  }
}

function linkValues(field: FieldRef, columns: RowGroupColumns, into: TagValueCollector): void {
  const links = new ByteSource(column(columns, COL.spanLinks));
  while (!links.done()) {
    for (let n = links.u(); n > 0; n--) {
      const bytes = links.bytes();
      const link = readLink(new ProtoReader(bytes), bytes.length);
      if (field.kind === 'attribute') addPresent(into, link.attributes.get(field.name));
      else into.addValue({ type: 'string', value: field.intrinsic === 'linkTraceId' ? link.traceId : link.spanId });
    }
  }
}

/** Status messages of the spans with a status, and '' when a span has none (the engine reads it as ''). */
function messageValues(columns: RowGroupColumns, spans: number, into: TagValueCollector): void {
  const statuses = new ByteSource(column(columns, COL.spanStatus));
  for (let s = 0; s < spans; s++) {
    if (statuses.u() === 0) {
      into.addValue({ type: 'string', value: '' });
      break;
    }
  }
  for (const message of distinctStrings(column(columns, COL.spanStatusMessage))) into.addValue({ type: 'string', value: utf8(message) });
}
