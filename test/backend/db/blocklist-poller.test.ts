import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { BlockMeta } from '../../../backend/block/block-meta.ts';
import { BlockReader } from '../../../backend/block/block-reader.ts';
import { markBlockCompacted } from '../../../backend/block/compacted-meta.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import { BlocklistPoller } from '../../../backend/db/blocklist-poller.ts';
import type { BlocklistPollerOptions } from '../../../backend/db/blocklist-poller-options.ts';
import { readTenantIndex, writeTenantIndex } from '../../../backend/db/tenant-index.ts';
import { TraceDb } from '../../../backend/db/trace-db.ts';
import type { ObjectStore } from '../../../backend/storage/object-store.ts';
import { RetryableError } from '../../../pipeline/errors.ts';
import { makeEntries } from '../block/block-fixtures.ts';
import { CountingStore, fakeMeta, putMeta } from './db-fixtures.ts';
import { makeLocalStore, makeS3Store, type TestStore } from './db-stores.ts';

const ids = (metas: readonly BlockMeta[]) => metas.map((m) => m.blockID).sort();

for (const [storeName, makeStore] of [['local folder', makeLocalStore], ['S3', makeS3Store]] as const) {
  describe(`BlocklistPoller (${storeName})`, () => {
    let tmp: TestStore;
    let store: CountingStore;
    let logs: { msg: string; tenant?: string; reason?: string }[];
    const pollers: BlocklistPoller[] = [];

    beforeEach(async () => {
      tmp = await makeStore();
      store = new CountingStore(tmp.store);
      logs = [];
    });
    afterEach(async () => {
      await Promise.all(pollers.splice(0).map((p) => p.stop()));
      await tmp.dispose();
    });

    const poller = (mode: 'builder' | 'reader', options: Partial<BlocklistPollerOptions> = {}) => {
      const logger = pino({ level: 'warn' }, { write: (line: string) => logs.push(JSON.parse(line)) });
      const p = new BlocklistPoller({ store, logger, metrics: new Registry(), mode, ...options });
      pollers.push(p);
      return p;
    };
    const put = (tenant: string, blockID: string) => putMeta(store, fakeMeta(tenant, blockID));

    it('builder lists every tenant and writes each one\'s index', async () => {
      await put('t1', 'a');
      await put('t1', 'b');
      await put('t2', 'c');
      const builder = poller('builder');
      const summary = await builder.pollOnce();
      assert.deepEqual([...summary.listed].sort(), ['t1', 't2']);
      assert.deepEqual(ids(builder.blocks.forTenant('t1')), ['a', 'b']);
      assert.deepEqual(ids((await readTenantIndex(tmp.store, 't1'))!.metas), ['a', 'b']);
      assert.deepEqual(ids((await readTenantIndex(tmp.store, 't2'))!.metas), ['c']);
    });

    it('reader takes the index without listing any tenant\'s blocks', async () => {
      await put('t1', 'a');
      await put('t2', 'b');
      await poller('builder').pollOnce();
      store.reset();
      const reader = poller('reader');
      const summary = await reader.pollOnce();
      assert.deepEqual([...summary.fromIndex].sort(), ['t1', 't2']);
      assert.deepEqual(store.listed, ['listDirs '], 'only the tenants are listed');
      assert.deepEqual(store.gets.sort(), ['t1/index.json.gz', 't2/index.json.gz']);
      assert.equal(store.counts.put, 0);
      assert.deepEqual(ids(reader.blocks.forTenant('t1')), ['a']);
      assert.deepEqual(ids(reader.blocks.forTenant('t2')), ['b']);
    });

    it('reader lists the tenant when its index is missing, and writes none', async () => {
      await put('t', 'a');
      store.reset();
      const reader = poller('reader');
      const summary = await reader.pollOnce();
      assert.deepEqual(summary.listed, ['t']);
      assert.deepEqual(ids(reader.blocks.forTenant('t')), ['a']);
      assert.equal(store.counts.put, 0);
      assert.equal(logs[0].reason, 'missing');
    });

    it('reader lists the tenant when its index is stale', async () => {
      await put('t', 'a');
      const now = Date.now();
      await writeTenantIndex(store, 't', { metas: [fakeMeta('t', 'a')], compacted: [], createdAt: now - 61_000 });
      await put('t', 'b');
      const reader = poller('reader', { staleIndexMs: 60_000, now: () => now });
      assert.deepEqual((await reader.pollOnce()).listed, ['t']);
      assert.deepEqual(ids(reader.blocks.forTenant('t')), ['a', 'b']);
      assert.match(logs[0].reason ?? '', /^stale: created at /);

      await writeTenantIndex(store, 't', { metas: [fakeMeta('t', 'a')], compacted: [], createdAt: now - 60_000 });
      assert.deepEqual((await reader.pollOnce()).fromIndex, ['t'], 'an index exactly staleIndexMs old is still used');
    });

    it('reader lists the tenant when its index is corrupt', async () => {
      await put('t', 'a');
      await store.put('t/index.json.gz', new TextEncoder().encode('not gzip'));
      const reader = poller('reader');
      assert.deepEqual((await reader.pollOnce()).listed, ['t']);
      assert.deepEqual(ids(reader.blocks.forTenant('t')), ['a']);
      assert.match(logs[0].reason ?? '', /tenant index t\/index\.json\.gz is corrupt: not gzip/);
    });

    it('shows a block within one poll after its meta.json is written (builder, then reader via the index)', async () => {
      await put('t', 'a');
      const builder = poller('builder');
      const reader = poller('reader');
      await builder.pollOnce();
      await reader.pollOnce();
      await put('t', 'b');
      await builder.pollOnce();
      assert.deepEqual(ids(builder.blocks.forTenant('t')), ['a', 'b']);
      await reader.pollOnce();
      assert.deepEqual(ids(reader.blocks.forTenant('t')), ['a', 'b']);
    });

    it('ignores a block folder without meta.json (a block being written)', async () => {
      await put('t', 'a');
      await store.put('t/partial/data', new Uint8Array(3));
      const builder = poller('builder');
      await builder.pollOnce();
      assert.deepEqual(ids(builder.blocks.forTenant('t')), ['a']);
    });

    it('leaves out an invalid meta.json with a warning and still polls the tenant', async () => {
      await put('t', 'a');
      await store.put('t/bad/meta.json', new TextEncoder().encode('{}'));
      const builder = poller('builder');
      assert.deepEqual((await builder.pollOnce()).listed, ['t']);
      assert.deepEqual(ids(builder.blocks.forTenant('t')), ['a']);
      assert.deepEqual(logs.map((l) => l.msg), ['invalid block meta left out']);
    });

    it('moves blocks marked compacted out of the live list after a poll', async () => {
      await put('t', 'in1');
      await put('t', 'in2');
      const builder = poller('builder');
      const reader = poller('reader');
      await builder.pollOnce();
      await put('t', 'out'); // the compactor's order: output meta.json first, then the markers
      const at = new Date();
      await markBlockCompacted(store, fakeMeta('t', 'in1'), at.getTime());
      await markBlockCompacted(store, fakeMeta('t', 'in2'), at.getTime());
      assert.deepEqual(ids(builder.blocks.forTenant('t')), ['in1', 'in2'], 'unchanged until the poll');
      await builder.pollOnce();
      await reader.pollOnce();
      for (const list of [builder.blocks, reader.blocks]) {
        assert.deepEqual(ids(list.forTenant('t')), ['out']);
        assert.deepEqual(ids(list.compactedForTenant('t')), ['in1', 'in2']);
        assert.equal(list.compactedForTenant('t')[0].compactedTime, at.toISOString());
      }
      assert.deepEqual(ids((await readTenantIndex(store, 't'))!.compacted), ['in1', 'in2']);
    });

    it('reads only metas it has not seen: later polls and a restarted builder reuse known ones', async () => {
      for (const id of ['a', 'b', 'c']) await put('t', id);
      await poller('builder').pollOnce();
      await put('t', 'd');
      store.reset();
      const restarted = poller('builder');
      await restarted.pollOnce();
      assert.deepEqual(store.gets.sort(), ['t/d/meta.json', 't/index.json.gz']);
      await markBlockCompacted(store, fakeMeta('t', 'a'), Date.now());
      store.reset();
      await restarted.pollOnce();
      assert.deepEqual(store.gets, ['t/a/meta.compacted.json']);
      assert.deepEqual(ids(restarted.blocks.forTenant('t')), ['b', 'c', 'd']);
    });

    it('keeps a block announced in-process that a poll from an older index does not know', async () => {
      await put('t', 'a');
      const builder = poller('builder');
      await builder.pollOnce();
      const reader = poller('reader');
      await put('t', 'new');
      reader.blocks.add(fakeMeta('t', 'new'));
      await reader.pollOnce();
      assert.deepEqual(ids(reader.blocks.forTenant('t')), ['a', 'new']);
      await builder.pollOnce();
      await reader.pollOnce();
      assert.deepEqual(ids(reader.blocks.forTenant('t')), ['a', 'new']);
    });

    it('keeps tenants apart, also when one tenant ID is a prefix of another', async () => {
      await put('t', 'a');
      await put('t2', 'b');
      await put('t-x', 'c');
      const builder = poller('builder');
      const reader = poller('reader');
      await builder.pollOnce();
      await reader.pollOnce();
      for (const list of [builder.blocks, reader.blocks]) {
        assert.deepEqual(ids(list.forTenant('t')), ['a']);
        assert.deepEqual(ids(list.forTenant('t2')), ['b']);
        assert.deepEqual(ids(list.forTenant('t-x')), ['c']);
      }
      assert.deepEqual(ids((await readTenantIndex(store, 't'))!.metas), ['a']);
      assert.ok(store.listed.includes('list t/'), 'the LIST prefix ends with a slash');
    });

    it('finds a trace only in the tenant asked for, through the polled list', async () => {
      const entries = makeEntries(5);
      for (const tenantID of ['t1', 't2']) {
        await writeBlock(store, { tenantID, blockID: `${tenantID}-block`, entries, bloomFalsePositive: 0.01 });
      }
      const reader = poller('reader');
      await poller('builder').pollOnce();
      await reader.pollOnce();
      const db = new TraceDb({ blocks: reader.blocks, reader: new BlockReader(store) });
      const parts = await db.findTraceById('t1', entries[2].traceId);
      assert.deepEqual(parts, [entries[2].trace]);
      assert.deepEqual(store.gets.filter((k) => k.startsWith('t2/') && !k.endsWith('meta.json') && !k.endsWith('.gz')), []);
    });

    for (const mode of ['builder', 'reader'] as const) {
      it(`tells onPolled listeners (${mode}) of each block the first poll that finds it, also one added in-process`, async () => {
        const builder = mode === 'builder' ? undefined : poller('builder');
        const p = poller(mode);
        await put('t1', 'a');
        await builder?.pollOnce();
        await p.start();
        const told: string[][] = [];
        p.onPolled((metas) => told.push(metas.map((m) => `${m.tenantID}/${m.blockID}`).sort()));
        await builder?.pollOnce();
        await p.pollOnce();
        assert.deepEqual(told, [], 'a was found before the listener came');
        await put('t1', 'b');
        await put('t2', 'c');
        p.blocks.add(fakeMeta('t1', 'b')); // as the in-process ingester announces its flushes
        await builder?.pollOnce();
        await p.pollOnce();
        await p.pollOnce();
        assert.deepEqual(told, [['t1/b', 't2/c']]);
      });
    }

    it('keeps polling and telling other listeners when an onPolled listener throws', async () => {
      const p = poller('builder');
      const told: string[] = [];
      p.onPolled(() => {
        throw new Error('listener broke');
      });
      p.onPolled((metas) => told.push(...metas.map((m) => m.blockID)));
      await put('t', 'a');
      const summary = await p.pollOnce();
      assert.deepEqual(summary.failed, []);
      assert.deepEqual(told, ['a']);
      assert.deepEqual(ids(p.blocks.forTenant('t')), ['a']);
      assert.ok(logs.some((l) => l.msg === 'blocklist poll listener failed'), JSON.stringify(logs));
    });
  });
}

describe('BlocklistPoller lifecycle', () => {
  let tmp: TestStore;
  beforeEach(async () => {
    tmp = await makeLocalStore();
  });
  afterEach(async () => tmp.dispose());
  const options = (store: ObjectStore, extra: Partial<BlocklistPollerOptions> = {}): BlocklistPollerOptions =>
    ({ store, logger: pino({ level: 'silent' }), metrics: new Registry(), mode: 'builder', ...extra });

  it('has the whole list when start resolves, then polls on a timer until stopped', async () => {
    await putMeta(tmp.store, fakeMeta('t', 'a'));
    const p = new BlocklistPoller(options(tmp.store, { pollIntervalMs: 10 }));
    await p.start();
    assert.deepEqual(ids(p.blocks.forTenant('t')), ['a']);
    await putMeta(tmp.store, fakeMeta('t', 'b'));
    while (p.blocks.forTenant('t').length < 2) await new Promise((r) => setTimeout(r, 5));
    await p.stop();
    await p.stop();
    await putMeta(tmp.store, fakeMeta('t', 'c'));
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(ids(p.blocks.forTenant('t')), ['a', 'b']);
    await assert.rejects(p.pollOnce(), /stopped/);
  });

  it('fails start when a tenant cannot be polled, and keeps that tenant\'s list on later failures', async () => {
    await putMeta(tmp.store, fakeMeta('t', 'a'));
    let failing = true;
    const flaky = new CountingStore(tmp.store);
    flaky.list = (prefix: string) => (failing ? Promise.reject(new RetryableError('store down')) : tmp.store.list(prefix));
    const p = new BlocklistPoller(options(flaky));
    await assert.rejects(p.start(), (err: Error) => err instanceof RetryableError && /tenant\(s\) t/.test(err.message));
    failing = false;
    await p.pollOnce();
    failing = true;
    assert.deepEqual((await p.pollOnce()).failed, ['t']);
    assert.deepEqual(ids(p.blocks.forTenant('t')), ['a']);
    await p.stop();
  });

  it('refuses nonsense options', () => {
    assert.throws(() => new BlocklistPoller(options(tmp.store, { pollIntervalMs: 0 })), /pollIntervalMs 0 is not a positive integer/);
    assert.throws(() => new BlocklistPoller(options(tmp.store, { mode: 'both' as 'reader' })), /mode "both"/);
  });
});
