/** Sums every sample of `name` (all label sets) in the server's /metrics text. */
export async function metricSum(apiUrl: (path: string) => string, name: string): Promise<number> {
  const res = await fetch(apiUrl('/metrics'), { signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}: ${text.slice(0, 200)}`);
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
