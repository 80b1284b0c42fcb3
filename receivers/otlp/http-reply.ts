import type { ServerResponse } from 'node:http';
import { encodeExportResponse, encodeStatus, exportResponseJson, statusJson } from './export-response.ts';
import type { ExportStatus } from './export-status.ts';
import type { ExportResult, PayloadFormat } from './trace-export.ts';

/** What the client asked in, echoed in the reply's Content-Type. */
export interface RequestMedia {
  readonly format: PayloadFormat;
  readonly contentType: string;
}

const MEDIA_TYPES: Readonly<Record<string, PayloadFormat>> = {
  'application/x-protobuf': 'protobuf',
  'application/protobuf': 'protobuf',
  'application/json': 'json',
};

/** Parses Content-Type, parameters such as charset allowed; undefined when unsupported. */
export function requestMediaOf(contentType: string | undefined): RequestMedia | undefined {
  if (contentType === undefined) return undefined;
  const semicolon = contentType.indexOf(';');
  const type = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  const format = MEDIA_TYPES[type];
  return format === undefined ? undefined : { format, contentType: type };
}

export function replyExport(res: ServerResponse, media: RequestMedia, result: ExportResult): void {
  const body = media.format === 'json' ? exportResponseJson(result) : encodeExportResponse(result);
  send(res, { status: 200, contentType: media.contentType, body });
}

/** A google.rpc.Status body in the request's encoding, and Retry-After for errors worth retrying. */
export function replyStatus(res: ServerResponse, media: RequestMedia, status: ExportStatus): void {
  if (status.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(Math.ceil(status.retryAfterSeconds)));
  const body = media.format === 'json'
    ? statusJson(status.grpcCode, status.message)
    : encodeStatus(status.grpcCode, status.message);
  send(res, { status: status.httpStatus, contentType: media.contentType, body });
}

export function replyText(res: ServerResponse, status: number, text: string): void {
  send(res, { status, contentType: 'text/plain; charset=utf-8', body: text });
}

interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string | Uint8Array;
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  res.statusCode = reply.status;
  res.setHeader('Content-Type', reply.contentType);
  res.setHeader('Content-Length', typeof reply.body === 'string' ? Buffer.byteLength(reply.body) : reply.body.length);
  res.end(reply.body);
}
