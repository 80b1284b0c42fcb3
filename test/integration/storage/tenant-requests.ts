import { Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { decodeTrace, type RawResponse } from '../tempo-client.ts';
import type { NormSpan } from '../trace-model.ts';
import { sortSpans } from '../trace-model.ts';

/** OTLP exports and trace lookups as one tenant (X-Scope-OrgID), with the answers as they came. */

const EXPORT_METHOD = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** POST an ExportTraceServiceRequest (protobuf) with X-Scope-OrgID when `orgId` is given; resolves to the status. */
export async function postAs(url: string, orgId: string | undefined, body: Buffer): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-protobuf' };
  if (orgId !== undefined) headers['x-scope-orgid'] = orgId;
  const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(20_000) });
  return { status: res.status, body: await res.text() };
}

/** One unary Export with x-scope-orgid metadata; resolves to the gRPC status code (0 = OK). */
export function exportGrpcAs(url: string, orgId: string | undefined, body: Buffer): Promise<{ code: number; details: string }> {
  const client = new Client(new URL(url).host, credentials.createInsecure());
  const metadata = new Metadata();
  if (orgId !== undefined) metadata.set('x-scope-orgid', orgId);
  return new Promise<{ code: number; details: string }>((resolve) => {
    client.makeUnaryRequest(EXPORT_METHOD, (b: Buffer) => b, (b: Buffer) => b, body, metadata,
      { deadline: Date.now() + 20_000 },
      (err: ServiceError | null) => resolve(err === null ? { code: 0, details: '' } : { code: err.code, details: err.details }));
  }).finally(() => client.close());
}

/** GET /api/v2/traces/<id> (protobuf) as `orgId` (none when undefined). */
export async function getTraceAs(apiUrl: (path: string) => string, id: string, orgId: string | undefined): Promise<RawResponse> {
  const headers: Record<string, string> = { accept: 'application/protobuf' };
  if (orgId !== undefined) headers['x-scope-orgid'] = orgId;
  const res = await fetch(apiUrl(`/api/v2/traces/${id}`), { headers, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) };
}

/** The trace's spans, or the status when it is not a 200. */
export async function spansAs(apiUrl: (path: string) => string, id: string, orgId: string | undefined): Promise<NormSpan[] | number> {
  const res = await getTraceAs(apiUrl, id, orgId);
  if (res.status !== 200) return res.status;
  return sortSpans(decodeTrace(res, 'v2', 'protobuf', `v2 /traces/${id} as ${orgId}`));
}
