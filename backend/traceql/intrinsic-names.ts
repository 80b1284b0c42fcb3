import type { Intrinsic } from './ast.ts';

/** Unscoped intrinsic keywords. */
export const UNSCOPED_INTRINSICS: ReadonlyMap<string, Intrinsic> = new Map<string, Intrinsic>([
  ['name', 'name'], ['status', 'status'], ['statusMessage', 'statusMessage'], ['kind', 'kind'],
  ['duration', 'duration'], ['childCount', 'childCount'], ['traceDuration', 'traceDuration'],
  ['rootName', 'rootName'], ['rootServiceName', 'rootServiceName'],
]);

/** `scope:name` intrinsics, keyed by the whole text. */
export const SCOPED_INTRINSICS: ReadonlyMap<string, Intrinsic> = new Map<string, Intrinsic>([
  ['span:name', 'name'], ['span:status', 'status'], ['span:statusMessage', 'statusMessage'],
  ['span:kind', 'kind'], ['span:duration', 'duration'], ['span:childCount', 'childCount'],
  ['span:id', 'spanId'], ['span:parentID', 'parentId'],
  ['trace:duration', 'traceDuration'], ['trace:rootName', 'rootName'], ['trace:rootService', 'rootServiceName'],
  ['trace:id', 'traceId'],
  ['instrumentation:name', 'instrumentationName'], ['instrumentation:version', 'instrumentationVersion'],
  ['event:name', 'eventName'], ['event:timeSinceStart', 'eventTimeSinceStart'],
  ['link:traceID', 'linkTraceId'], ['link:spanID', 'linkSpanId'],
]);

/** How a matched span names an intrinsic: the unscoped keyword where there is one, else the scoped form. */
export const INTRINSIC_KEYS: Readonly<Record<Intrinsic, string>> = {
  name: 'name', status: 'status', statusMessage: 'statusMessage', kind: 'kind', duration: 'duration',
  childCount: 'childCount', spanId: 'span:id', parentId: 'span:parentID',
  instrumentationName: 'instrumentation:name', instrumentationVersion: 'instrumentation:version',
  eventName: 'event:name', eventTimeSinceStart: 'event:timeSinceStart', linkTraceId: 'link:traceID', linkSpanId: 'link:spanID',
  traceDuration: 'traceDuration', rootName: 'rootName', rootServiceName: 'rootServiceName', traceId: 'trace:id',
};

/** Names Tempo knows that this engine does not evaluate yet: refused with a clear message. */
export const UNSUPPORTED_NAMES: ReadonlySet<string> = new Set([
  'nestedSetLeft', 'nestedSetRight', 'nestedSetParent', 'parent',
]);
