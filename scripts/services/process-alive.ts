import { readFileSync } from 'node:fs';

/**
 * Whether process `pid` is running. Read from /proc rather than kill(pid, 0): a server that died while its
 * start script waits for it is an unreaped zombie, which kill(pid, 0) still reports as alive.
 */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
