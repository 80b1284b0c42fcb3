import { readFileSync } from 'node:fs';
import type { BuildInfo } from '../pipeline/component.ts';

const root = new URL('../', import.meta.url);

/** Version from package.json, revision from the git checkout when there is one. */
export function readBuildInfo(): BuildInfo {
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };
  return Object.freeze({ version: pkg.version, revision: gitRevision(), goVersion: process.version });
}

function gitRevision(): string {
  const head = readOptional('.git/HEAD');
  if (head === undefined) return 'unknown';
  const ref = /^ref: (.+)$/m.exec(head)?.[1];
  if (ref === undefined) return head.trim().slice(0, 12);
  const loose = readOptional(`.git/${ref}`);
  const packed = readOptional('.git/packed-refs')?.split('\n').find((l) => l.endsWith(` ${ref}`));
  const sha = loose ?? packed?.split(' ')[0];
  return sha === undefined ? 'unknown' : sha.trim().slice(0, 12);
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(new URL(path, root), 'utf8');
  } catch {
    return undefined; // not a git checkout (an npm install): the revision is simply unknown
  }
}
