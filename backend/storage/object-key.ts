import { PermanentError } from '../../pipeline/errors.ts';

/** Checks that `key` stays inside the store: non-empty segments, no `.`/`..`, no backslash or NUL, not absolute. */
export function checkKey(key: string): void {
  if (key === '') throw new PermanentError('object key is empty');
  checkSegments(key, key.split('/'));
}

/** Like checkKey for a list prefix: `''` is allowed, and a trailing `/` or a partial last segment. */
export function checkPrefix(prefix: string): void {
  if (prefix === '') return;
  const segments = prefix.split('/');
  if (segments[segments.length - 1] === '') segments.pop();
  if (segments.length === 0) throw new PermanentError(`object key prefix ${JSON.stringify(prefix)} is absolute`);
  checkSegments(prefix, segments);
}

/** `prefix` as a folder: `''` or ending in `/`. */
export function folderPrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

function checkSegments(key: string, segments: readonly string[]): void {
  if (/[\\\0]/.test(key)) throw new PermanentError(`object key ${JSON.stringify(key)} contains a backslash or NUL`);
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw new PermanentError(`object key ${JSON.stringify(key)} has an empty, "." or ".." segment`);
    }
  }
}
