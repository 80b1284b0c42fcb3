import type { FieldRef } from '../traceql/ast.ts';
import { byCodeUnits } from './tag-collect.ts';
import type { TagNamesRequest, TagValuesRequest, TagValuesV2Request } from './tag-request.ts';
import { ATTRIBUTE_SCOPES, type AttributeTagScope, type TagService, type TypedTagValue } from './tag-service.ts';
import { INTRINSIC_TAG_NAMES, STATUS_CODE_TAG, STATUS_CODE_VALUES, virtualTagValues } from './tag-virtual-values.ts';

/** SearchMetrics as the tag answers carry it (gogo JSON: uint64 as a string, zero omitted). */
export interface TagMetricsJson { readonly inspectedBytes?: string }
export interface TagNamesJson { readonly tagNames: string[]; readonly metrics: TagMetricsJson }
export interface TagScopeJson { readonly name: string; readonly tags: string[] }
export interface TagNamesV2Json { readonly scopes: TagScopeJson[]; readonly metrics: TagMetricsJson }
export interface TagValuesJson { readonly tagValues: string[]; readonly metrics: TagMetricsJson }
export interface TagValuesV2Json { readonly tagValues: TypedTagValue[]; readonly metrics: TagMetricsJson }

interface ScopedNames {
  readonly names: (scope: AttributeTagScope) => string[];
  readonly intrinsic: string[];
  readonly metrics: TagMetricsJson;
}

/** Per scope, limited; intrinsic names are a fixed list, so a request for them reads no data. */
async function namesByScope(service: TagService, tenant: string, req: TagNamesRequest, signal?: AbortSignal): Promise<ScopedNames> {
  const only = req.scope === 'intrinsic';
  const answer = only ? undefined : await service.tagNames(tenant, { ...req.scan, limit: req.limit }, signal);
  const names = (scope: AttributeTagScope): string[] => capped([...(answer?.names[scope] ?? [])], req.limit);
  return { names, intrinsic: capped([...INTRINSIC_TAG_NAMES], req.limit), metrics: metricsJson(answer?.inspectedBytes ?? 0) };
}

/** v1: without a scope, resource and span names in one list (no intrinsics). */
export async function tagNamesV1(service: TagService, tenant: string, req: TagNamesRequest, signal?: AbortSignal): Promise<TagNamesJson> {
  const { names, intrinsic, metrics } = await namesByScope(service, tenant, { ...req, limit: 0 }, signal);
  const all = req.scope === 'intrinsic' ? intrinsic
    : req.scope !== undefined ? names(req.scope)
      : [...new Set([...names('resource'), ...names('span')])].sort(byCodeUnits);
  return { tagNames: capped(all, req.limit), metrics };
}

/** v2: resource, span and intrinsic always, event/link/instrumentation when they have names; a scope alone when asked. */
export async function tagNamesV2(service: TagService, tenant: string, req: TagNamesRequest, signal?: AbortSignal): Promise<TagNamesV2Json> {
  const { names, intrinsic, metrics } = await namesByScope(service, tenant, req, signal);
  if (req.scope === 'intrinsic') return { scopes: [{ name: 'intrinsic', tags: intrinsic }], metrics };
  if (req.scope !== undefined) return { scopes: [{ name: req.scope, tags: names(req.scope) }], metrics };
  const scopes = ATTRIBUTE_SCOPES.map((name) => ({ name, tags: names(name) }))
    .filter((s) => s.name === 'resource' || s.name === 'span' || s.tags.length > 0);
  return { scopes: [...scopes, { name: 'intrinsic', tags: intrinsic }], metrics };
}

/** v1: values of the span or resource attribute, as text; `status.code` is virtual. */
export async function tagValuesV1(service: TagService, tenant: string, req: TagValuesRequest, signal?: AbortSignal): Promise<TagValuesJson> {
  if (req.name === STATUS_CODE_TAG) return { tagValues: capped([...STATUS_CODE_VALUES], req.limit), metrics: {} };
  const field: FieldRef = { kind: 'attribute', scope: 'none', name: req.name, pos: { offset: 0, line: 1, column: 1 } };
  const answer = await service.tagValues(tenant, field, { ...req.scan, limit: req.limit }, signal);
  const text = [...new Set(answer.values.map((v) => v.value))].sort(byCodeUnits);
  return { tagValues: capped(text, req.limit), metrics: metricsJson(answer.inspectedBytes) };
}

/** v2: typed values; statuses, kinds and durations virtual. */
export async function tagValuesV2(service: TagService, tenant: string, req: TagValuesV2Request, signal?: AbortSignal): Promise<TagValuesV2Json> {
  const virtual = virtualTagValues(req.field);
  if (virtual !== undefined) return { tagValues: capped([...virtual], req.limit), metrics: {} };
  const answer = await service.tagValues(tenant, req.field, { ...req.scan, limit: req.limit }, signal);
  return { tagValues: capped([...answer.values], req.limit), metrics: metricsJson(answer.inspectedBytes) };
}

function capped<T>(values: T[], limit: number): T[] {
  return limit > 0 && values.length > limit ? values.slice(0, limit) : values;
}

function metricsJson(inspectedBytes: number): TagMetricsJson {
  return inspectedBytes > 0 ? { inspectedBytes: String(inspectedBytes) } : {};
}
