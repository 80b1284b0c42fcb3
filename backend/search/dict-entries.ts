import { ProtoReader } from '../../pipeline/otlp/proto-reader.ts';
import { readKeyValue } from '../traceql/any-value.ts';
import { fieldText, forEachLen } from '../traceql/trace-model.ts';
import type { AttributeValue } from '../traceql/value.ts';

/** The scope fields every span of a ScopeSpans carries in the engine's span model. */
export interface ScopeInfo {
  readonly scopeName: string;
  readonly scopeVersion: string;
  readonly scopeAttributes: ReadonlyMap<string, AttributeValue>;
}

/** A `dict.resource` entry's attributes, read as the engine's OTLP reader reads a ResourceSpans (first key wins). */
export function resourceAttributes(entry: Uint8Array): Map<string, AttributeValue> {
  const r = new ProtoReader(entry);
  const out = new Map<string, AttributeValue>();
  forEachLen(r, entry.length, (field, end) => {
    if (field === 1) forEachLen(r, end, (f, e) => { if (f === 1) readKeyValue(r, e, out); });
  });
  return out;
}

/** A `dict.scope` entry's scope, read as the engine's OTLP reader reads a ScopeSpans. */
export function scopeInfo(entry: Uint8Array): ScopeInfo {
  const r = new ProtoReader(entry);
  const info = { scopeName: '', scopeVersion: '', scopeAttributes: new Map<string, AttributeValue>() };
  forEachLen(r, entry.length, (field, end) => {
    if (field !== 1) return;
    forEachLen(r, end, (f, e) => {
      if (f === 1) info.scopeName = fieldText(r, e);
      else if (f === 2) info.scopeVersion = fieldText(r, e);
      else if (f === 3) readKeyValue(r, e, info.scopeAttributes);
    });
  });
  return info;
}
