import os from 'node:os';

/**
 * Bytes of memory available to this process: the cgroup limit when one is set (containers), otherwise the
 * machine's memory, as the Collector's `iruntime.TotalMemory`. libuv reports "no limit" as 0 or a huge number.
 */
export function totalMemory(): number {
  const machine = os.totalmem();
  const constrained = process.constrainedMemory();
  return constrained > 0 && constrained < machine ? constrained : machine;
}
