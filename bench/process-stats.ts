import { readFile } from 'node:fs/promises';

export interface MemoryPeak { rssKiB: number; hwmKiB: number }

/** Reads VmRSS / VmHWM of `pid` every 200 ms; `stop()` returns the peaks. */
export function sampleMemory(pid: number): { stop(): MemoryPeak } {
  const peak: MemoryPeak = { rssKiB: 0, hwmKiB: 0 };
  const read = async (): Promise<void> => {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const kib = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    peak.rssKiB = Math.max(peak.rssKiB, kib('VmRSS'));
    peak.hwmKiB = Math.max(peak.hwmKiB, kib('VmHWM'));
  };
  const timer = setInterval(() => void read(), 200);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** utime + stime of `pid`, seconds (/proc/<pid>/stat; USER_HZ is 100 on Linux). */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
