/**
 * demo.sh's last step: waits until the traces of the requests it sent are complete in Tracelake, found the
 * way a user finds them (TraceQL search, then trace by ID), and prints one line per trace for people and
 * tests alike:
 *
 *   trace <id> checkout ok|error services=<service>,…      then the links: trace by ID, search
 *
 *   node find-traces.ts --api http://127.0.0.1:3200 --run <id> --ok 3 --errors 1 [--since <unix s>] [--timeout 60]
 *
 * The run ID is the User-Agent demo.sh sent (`tracelake-demo/<run>`), which the Java agent records on
 * checkout's server span as `user_agent.original`: it tells this run's traces from earlier ones.
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

const { values: args } = parseArgs({
  options: {
    api: { type: 'string', default: 'http://127.0.0.1:3200' },
    run: { type: 'string' },
    ok: { type: 'string', default: '0' },
    errors: { type: 'string', default: '0' },
    since: { type: 'string', default: String(Math.floor(Date.now() / 1000) - 600) },
    timeout: { type: 'string', default: '60' },
  },
});
if (args.run === undefined) throw new Error('--run is required');

/** Services every trace of an outcome must have before it counts as complete. */
const EXPECTED: Readonly<Record<Outcome, readonly string[]>> = {
  ok: ['checkout', 'pricing', 'inventory', 'shipping', 'notification'],
  error: ['checkout', 'pricing', 'inventory'],
};
type Outcome = 'ok' | 'error';
interface Found { readonly id: string; readonly outcome: Outcome; readonly services: readonly string[] }

const query = `{resource.service.name="checkout" && span.user_agent.original="tracelake-demo/${args.run}"}`;
const wanted: Readonly<Record<Outcome, number>> = { ok: Number(args.ok), error: Number(args.errors) };

async function getJson(path: string): Promise<Record<string, unknown> | undefined> {
  const res = await fetch(`${args.api}${path}`, { signal: AbortSignal.timeout(10_000) });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

function searchPath(): string {
  const end = Math.floor(Date.now() / 1000) + 60;
  return `/api/search?q=${encodeURIComponent(query)}&limit=100&start=${Number(args.since) - 60}&end=${end}`;
}

type Obj = Record<string, any>; // Tempo's trace JSON, read loosely: only a few fields matter here

/** A trace's services and its outcome (the root span's HTTP status), from Tempo's v2 JSON. */
function describe(id: string, trace: Obj): Found | undefined {
  const services = new Set<string>();
  let rootStatus: string | undefined;
  for (const rs of trace.resourceSpans ?? []) {
    const name = (rs.resource?.attributes ?? []).find((a: Obj) => a.key === 'service.name')?.value?.stringValue;
    if (name !== undefined) services.add(name);
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        if (span.parentSpanId !== undefined && span.parentSpanId !== '') continue;
        rootStatus = (span.attributes ?? []).find((a: Obj) => a.key === 'http.response.status_code')?.value?.intValue;
      }
    }
  }
  if (rootStatus === undefined) return undefined; // checkout's server span not there yet
  const outcome: Outcome = rootStatus === '200' ? 'ok' : 'error';
  if (!EXPECTED[outcome].every((s) => services.has(s))) return undefined;
  return { id, outcome, services: [...services].sort() };
}

async function poll(): Promise<Found[]> {
  const deadline = Date.now() + Number(args.timeout) * 1000;
  let found: Found[] = [];
  for (;;) {
    const search = await getJson(searchPath());
    // Tempo's search answers IDs without leading zeros; the links use all 32 digits.
    const ids = ((search?.traces ?? []) as Obj[]).map((t) => (t.traceID as string).padStart(32, '0'));
    found = [];
    for (const id of ids) {
      const body = await getJson(`/api/v2/traces/${id}`);
      const trace = body === undefined ? undefined : describe(id, body.trace as Obj);
      if (trace !== undefined) found.push(trace);
    }
    const count = (o: Outcome): number => found.filter((f) => f.outcome === o).length;
    if (count('ok') >= wanted.ok && count('error') >= wanted.error) return found;
    if (Date.now() > deadline) {
      throw new Error(`after ${args.timeout}s: ${count('ok')} of ${wanted.ok} ok and ${count('error')} of ${wanted.error} error traces complete (search found ${ids.length})`);
    }
    await sleep(500);
  }
}

const found = await poll();
for (const f of found) console.log(`trace ${f.id} checkout ${f.outcome} services=${f.services.join(',')}`);
console.log('');
for (const f of found) console.log(`  ${f.outcome.padEnd(5)} ${args.api}/api/v2/traces/${f.id}`);
console.log(`search ${args.api}/api/search?q=${encodeURIComponent('{resource.service.name="checkout"}')}`);
