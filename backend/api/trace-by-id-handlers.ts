import { RetryableError } from '../../pipeline/errors.ts';
import { jsonReply, protobufReply, CONTENT_TYPE_PROTOBUF } from './replies.ts';
import type { TenantOf } from './request-tenant.ts';
import type { ApiRequest, ApiResponse, Handler } from './router.ts';
import { parseTimeRange } from './time-range.ts';
import { encodeTraceByIdResponse, traceByIdResponseJson, traceV1Json } from './trace-by-id-response.ts';
import { parseTraceId } from './trace-id.ts';
import type { FoundTrace, TraceLookup } from './trace-lookup.ts';

export interface TraceByIdDeps {
  readonly lookup: TraceLookup;
  readonly tenantOf: TenantOf;
}

/**
 * `GET /api/v2/traces/:traceId`: a TraceByIDResponse (protobuf when asked, else Tempo's JSON), with status
 * PARTIAL when a source failed. 404 with an empty body when not found; Grafana then retries v1.
 */
export function traceByIdV2Handler(deps: TraceByIdDeps): Handler {
  return async (req) => traceByIdReply(req, await lookUp(req, deps));
}

/** A TraceByIDResponse in the encoding `req` asks for; 404 with an empty body when not found. */
export function traceByIdReply(req: ApiRequest, found: FoundTrace | undefined): ApiResponse {
  if (found === undefined) return { status: 404 };
  return wantsProtobuf(req)
    ? protobufReply(200, encodeTraceByIdResponse(found))
    : jsonReply(200, traceByIdResponseJson(found));
}

/** `GET /api/traces/:traceId`: the bare Trace (protobuf when asked, else `{"batches":[…]}`); 404 when not found. */
export function traceByIdV1Handler(deps: TraceByIdDeps): Handler {
  return async (req) => {
    const found = await lookUp(req, deps);
    if (found === undefined) return { status: 404 };
    // v1 has no partial status: with nothing found and a source down, "not found" could be wrong.
    if (found.spanCount === 0) throw new RetryableError(found.message ?? 'trace sources failed');
    return wantsProtobuf(req) ? protobufReply(200, found.trace) : jsonReply(200, traceV1Json(found.trace));
  };
}

/** Tenant first (as Tempo's auth middleware), then the ID, then the time range. */
function lookUp(req: ApiRequest, deps: TraceByIdDeps): Promise<FoundTrace | undefined> {
  const tenant = deps.tenantOf(req.headers);
  const traceId = parseTraceId(req.params['traceId'] ?? '');
  const range = parseTimeRange(req.query);
  return deps.lookup.traceById(tenant, traceId, range);
}

/** Protobuf only when the first media type of Accept is application/protobuf; anything else gets JSON. */
function wantsProtobuf(req: ApiRequest): boolean {
  const first = (req.headers.accept ?? '').split(',')[0]!.split(';')[0]!.trim().toLowerCase();
  return first === CONTENT_TYPE_PROTOBUF;
}
