import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeMessage } from './trace-proto.ts';
import { fromProtobufTrace, fromTempoJsonTrace, sortSpans, type NormSpan } from './trace-model.ts';

/** Fetches traces through Tracelake's Tempo API the way Grafana does, and decodes them independently. */

export type ApiVersion = 'v1' | 'v2';
export type Format = 'protobuf' | 'json';
export const API_VARIANTS: ReadonlyArray<{ version: ApiVersion; format: Format }> = [
  { version: 'v2', format: 'protobuf' },
  { version: 'v2', format: 'json' },
  { version: 'v1', format: 'protobuf' },
  { version: 'v1', format: 'json' },
];

export interface RawResponse { readonly status: number; readonly contentType: string; readonly body: Buffer }

export interface ApiBase { apiUrl(path: string): string }

export async function getTrace(api: ApiBase, id: string, version: ApiVersion, format: Format): Promise<RawResponse> {
  const path = version === 'v2' ? `/api/v2/traces/${id}` : `/api/traces/${id}`;
  const headers = format === 'protobuf' ? { accept: 'application/protobuf' } : { accept: 'application/json' };
  const res = await fetch(api.apiUrl(path), { headers, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) };
}

/** The trace's spans as one comparable shape; asserts a 200 with the right content type. */
export async function fetchSpans(api: ApiBase, id: string, version: ApiVersion, format: Format): Promise<NormSpan[]> {
  const res = await getTrace(api, id, version, format);
  const what = `${version} ${format} /traces/${id}`;
  assert.equal(res.status, 200, `${what}: status ${res.status}: ${res.body.toString('utf8').slice(0, 500)}`);
  return sortSpans(decodeTrace(res, version, format, what));
}

export function decodeTrace(res: RawResponse, version: ApiVersion, format: Format, what: string): NormSpan[] {
  if (format === 'protobuf') {
    assert.match(res.contentType, /^application\/protobuf/, `${what}: content-type`);
    if (version === 'v1') return fromProtobufTrace(decodeMessage('TracesData', res.body));
    const response = decodeMessage('TraceByIDResponse', res.body);
    assert.ok(response.trace !== undefined, `${what}: TraceByIDResponse without its trace field`);
    return fromProtobufTrace(response.trace as Record<string, unknown>);
  }
  assert.match(res.contentType, /^application\/json/, `${what}: content-type`);
  const json = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
  if (version === 'v1') return fromTempoJsonTrace(json, 'batches');
  assert.ok(json.trace !== undefined && json.trace !== null, `${what}: JSON without "trace"`);
  return fromTempoJsonTrace(json.trace as Record<string, unknown>, 'resourceSpans');
}

/** Polls `probe` until it returns a value (not undefined) or the time is up. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}
