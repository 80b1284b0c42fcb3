import { readdir } from 'node:fs/promises';
import path from 'node:path';

const SUFFIX = '.wal';
const DIGITS = 10;

/** Segment files are `0000000001.wal`, `0000000002.wal`, …: their names sort in write order. */
export function segmentPath(dir: string, segment: number): string {
  return path.join(dir, `${String(segment).padStart(DIGITS, '0')}${SUFFIX}`);
}

/** Numbers of the segment files in `dir`, ascending; other files are ignored. */
export async function listSegments(dir: string): Promise<number[]> {
  const segments: number[] = [];
  for (const name of await readdir(dir)) {
    if (!name.endsWith(SUFFIX)) continue;
    const digits = name.slice(0, -SUFFIX.length);
    if (/^\d+$/.test(digits)) segments.push(Number(digits));
  }
  return segments.sort((a, b) => a - b);
}
