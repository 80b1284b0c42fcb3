import assert from 'node:assert/strict';
import type { ApiBase } from '../tempo-client.ts';

/** `GET /api/search` with `params`, asserted 200, its JSON body. */
export async function searchJson<T>(api: ApiBase, params: Record<string, string>): Promise<T> {
  const res = await fetch(api.apiUrl(`/api/search?${new URLSearchParams(params).toString()}`));
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text) as T;
}
