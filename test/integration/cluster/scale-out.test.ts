import assert from 'node:assert/strict';
import { recordOldTrace } from '../storage/old-trace.ts';
import { BucketView, describeSnapshot } from '../storage/bucket-view.ts';
import { postAs, spansAs } from '../storage/tenant-requests.ts';
import { traceIdOf } from '../sdk-spans.ts';
import { waitFor } from '../tempo-client.ts';
import { encodeSpans } from './raw-otlp.ts';
import { ScaleOut } from './scale-out.ts';
import { TraceSender, type AckedTrace } from './trace-sender.ts';

const TENANTS = ['acme', 'globex'];
/** Kept for 1 s (overrides): its two-days-old traces are past retention as soon as their blocks exist. */
const BRIEF = 'brief';
const TWO_DAYS_MS = 2 * 24 * 3600_000;
const HOSTILE = ['../x', 'a/b', '..', 'a'.repeat(151)];
/** `<tenant>/index.json.gz` and `<tenant>/<block UUID>/<object>`: README's storage layout, nothing else. */
const LAYOUT = /^[A-Za-z0-9!\-_.*'()]+\/(index\.json\.gz|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/(meta\.json|meta\.compacted\.json|data|index|bloom-\d+))$/;

/** Polls the frontend until every trace answers exactly its acknowledged spans, as its tenant. */
async function everyTraceWhole(frontend: ScaleOut['frontend'], acked: ReadonlyMap<string, AckedTrace>, what: string): Promise<void> {
  const pending = new Map(acked);
  let last = '';
  await waitFor(what, async () => {
    for (const [id, { tenant, spans }] of pending) {
      const got = await spansAs(frontend.apiUrl.bind(frontend), id, tenant);
      if (typeof got === 'number') {
        assert.equal(got, 404, `trace ${id} as ${tenant}: status ${got}`);
        last = `${id}: 404`;
        continue;
      }
      if (got.length < spans.length) {
        last = `${id}: ${got.length} of ${spans.length} spans`;
        continue;
      }
      assert.deepStrictEqual(got, spans, `trace ${id} as ${tenant}: exactly the acknowledged spans, none twice`);
      pending.delete(id);
    }
    return pending.size === 0 ? true : undefined;
  }, 90_000).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}; ${pending.size} of ${acked.size} traces not whole, e.g. ${last}`);
  });
}

describe('examples/cluster scaled out: gateway, 2 ingesters, querier, query-frontend, compactor over Kafka and S3', function () {
  this.timeout(240_000);
  let cluster: ScaleOut | undefined;
  let sender: TraceSender | undefined;
  let view: BucketView | undefined;

  afterEach(async function () {
    await sender?.stop();
    view?.close();
    await cluster?.close();
    sender = undefined;
    view = undefined;
    cluster = undefined;
  });

  it('serves every acknowledged span from the query-frontend through an ingester kill -9, compaction and retention, keeping tenants apart and the bucket to its layout', async function () {
    const c = (cluster = await ScaleOut.start('scale-out', {
      multitenancy: true,
      overrides: [[['exporters', 'tracelake', 'overrides'], { [BRIEF]: { block_retention: '1s' } }]],
    }));
    const bucket = (view = new BucketView({ kind: 's3', prefix: c.prefix }, ''));
    await c.cluster.waitForAssignment(2);
    const api = c.frontend.apiUrl.bind(c.frontend);

    const old = [recordOldTrace('brief-0', TWO_DAYS_MS), recordOldTrace('brief-1', TWO_DAYS_MS)];
    for (const spans of old) assert.equal((await postAs(c.gateway.otlpHttpUrl, BRIEF, encodeSpans(spans))).status, 200);

    const s = (sender = new TraceSender(c.gateway, { loops: 2, tracesPerRequest: 4, spansPerTrace: 3, pauseMs: 100, tenants: TENANTS }));
    const ackedAtLeast = (n: number, what: string) => waitFor(what, async () => (s.acked.size >= n ? true : undefined), 30_000);
    await ackedAtLeast(60, '60 acknowledged traces');
    c.ingesters[0]!.child.kill('SIGKILL');
    assert.deepEqual(await c.ingesters[0]!.exited, { code: null, signal: 'SIGKILL' });
    await ackedAtLeast(s.acked.size + 40, '40 more acknowledged traces with one ingester dead');
    await c.restartIngester(0);
    await ackedAtLeast(s.acked.size + 40, '40 more acknowledged traces after its restart');
    await s.stop();
    assert.deepEqual(s.refused, [], 'the gateway refused requests, though Kafka was up all along');

    await everyTraceWhole(c.frontend, s.acked, 'every acknowledged trace whole through the query-frontend');
    const sample = [...s.acked].slice(0, 20);
    for (const [id, { tenant }] of sample) {
      const other = TENANTS.find((t) => t !== tenant)!;
      assert.equal(await spansAs(api, id, other), 404, `trace ${id} of ${tenant} asked as ${other}`);
    }

    // Search through the frontend: every trace of the tenant, none of the other's (live ones from the ingesters).
    const strip = (id: string): string => id.replace(/^0+/, '');
    for (const tenant of TENANTS) {
      const res = await fetch(c.frontend.apiUrl('/api/search?q=%7B%7D&limit=100000'), { headers: { 'x-scope-orgid': tenant } });
      assert.equal(res.status, 200, await res.clone().text());
      const found = ((await res.json()) as { traces?: { traceID: string }[] }).traces?.map((t) => t.traceID).sort() ?? [];
      const mine = [...s.acked].filter(([, t]) => t.tenant === tenant).map(([id]) => strip(id)).sort();
      assert.deepEqual(found, mine, `search of ${tenant}`);
    }

    // Compaction: once ranges stop arriving, each tenant's blocks are merged into fewer, and traces stay whole.
    const before = new Map<string, number>();
    await waitFor('blocks of both tenants written and listed', async () => {
      for (const tenant of TENANTS) before.set(tenant, (await bucket.tenant(tenant)).live.length + (await bucket.tenant(tenant)).compacted.length);
      return [...before.values()].every((n) => n >= 4) ? true : undefined;
    }, 30_000);
    let detail = '';
    await waitFor('the compactor merging each tenant\'s blocks into fewer', async () => {
      const snapshots = await Promise.all(TENANTS.map((t) => bucket.tenant(t)));
      detail = snapshots.map(describeSnapshot).join('\n');
      return snapshots.every((snap, i) => snap.compacted.length > 0 && snap.live.length < before.get(TENANTS[i]!)!) ? true : undefined;
    }, 60_000).catch((err: unknown) => { throw new Error(`${(err as Error).message}\n${detail}`); });
    await everyTraceWhole(c.frontend, s.acked, 'every trace still whole after compaction');

    // Retention: the brief tenant's blocks are deleted, its traces gone.
    await waitFor('the brief tenant\'s blocks deleted by retention', async () => ((await bucket.tenant(BRIEF)).folders.size === 0 ? true : undefined), 60_000);
    for (const spans of old) assert.equal(await spansAs(api, traceIdOf(spans), BRIEF), 404, 'a trace past retention');

    // Tenants: none, or a hostile one, is refused at the gateway and at the frontend.
    const probe = encodeSpans(recordOldTrace('probe', 0));
    assert.equal((await postAs(c.gateway.otlpHttpUrl, undefined, probe)).status, 401);
    assert.equal(await spansAs(api, sample[0]![0], undefined), 401);
    for (const id of HOSTILE) {
      const answer = await postAs(c.gateway.otlpHttpUrl, id, probe);
      assert.equal(answer.status, 400, `gateway, X-Scope-OrgID ${id}: ${answer.body}`);
      assert.equal(await spansAs(api, sample[0]![0], id), 400, `query-frontend, X-Scope-OrgID ${id}`);
    }

    const keys = await bucket.keys();
    assert.deepEqual(keys.filter((k) => !LAYOUT.test(k)), [], 'objects outside the documented layout');
    assert.ok(keys.every((k) => [...TENANTS, BRIEF].includes(k.slice(0, k.indexOf('/')))), 'a prefix other than the three tenants');
  });
});
