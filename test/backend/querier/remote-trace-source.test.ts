import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { pino } from 'pino';
import { encodeTraceByIdResponse } from '../../../backend/api/trace-by-id-response.ts';
import { PartialPartsError } from '../../../backend/querier/partial-parts-error.ts';
import { Querier } from '../../../backend/querier/querier.ts';
import { RemoteTraceSource } from '../../../backend/querier/remote-trace-source.ts';
import { RetryableError } from '../../../pipeline/errors.ts';
import { FakeIngester } from './fake-ingester.ts';
import { encodeTrace, summarize, TRACE_ID } from '../../support/otlp-traces.ts';

const id = Buffer.from(TRACE_ID, 'hex');
const live = encodeTrace([{ service: 'api', scopes: [{ name: 'http', spans: [{ traceId: TRACE_ID, spanId: '0000000000000001', name: 'root' }] }] }]);

function protobuf(status: 'complete' | 'partial', trace: Uint8Array): (res: ServerResponse) => void {
  const body = encodeTraceByIdResponse({
    trace, spanCount: 1, inspectedBytes: trace.byteLength, status,
    ...(status === 'partial' ? { message: 'trace too large' } : {}),
  });
  return (res) => res.writeHead(200, { 'content-type': 'application/protobuf' }).end(body);
}

describe('RemoteTraceSource', () => {
  const fakes: FakeIngester[] = [];

  async function ingester(reply: (res: ServerResponse) => void): Promise<{ fake: FakeIngester; address: string }> {
    const fake = new FakeIngester(reply);
    fakes.push(fake);
    return { fake, address: await fake.start() };
  }

  afterEach(async () => {
    for (const f of fakes.splice(0)) await f.stop();
  });

  it('returns the Trace of a 200 protobuf answer, asking with Accept, tenant header and time range', async () => {
    const { fake, address } = await ingester(protobuf('complete', live));
    const parts = await new RemoteTraceSource({ address, timeoutMs: 2000 }).findTraceById('team-a', id, { start: 10, end: 20 });
    assert.deepEqual(parts.map((p) => Buffer.from(p).toString('hex')), [Buffer.from(live).toString('hex')]);
    assert.equal(fake.seen.length, 1);
    assert.equal(fake.seen[0]!.url, `/api/v2/traces/${TRACE_ID}?start=10&end=20`);
    assert.equal(fake.seen[0]!.headers.accept, 'application/protobuf');
    assert.equal(fake.seen[0]!.headers['x-scope-orgid'], 'team-a');
  });

  it('sends no X-Scope-OrgID for single-tenant and no range when none is given', async () => {
    const { fake, address } = await ingester(protobuf('complete', live));
    await new RemoteTraceSource({ address, timeoutMs: 2000 }).findTraceById('single-tenant', id);
    assert.equal(fake.seen[0]!.url, `/api/v2/traces/${TRACE_ID}`);
    assert.equal(fake.seen[0]!.headers['x-scope-orgid'], undefined);
  });

  it('returns no parts on 404 and on a 200 with an empty trace', async () => {
    const notFound = await ingester((res) => res.writeHead(404).end());
    assert.deepEqual(await new RemoteTraceSource({ address: notFound.address, timeoutMs: 2000 }).findTraceById('t', id), []);
    const empty = await ingester(protobuf('complete', new Uint8Array(0)));
    assert.deepEqual(await new RemoteTraceSource({ address: empty.address, timeoutMs: 2000 }).findTraceById('t', id), []);
  });

  it('throws a PartialPartsError carrying the parts when the ingester answers PARTIAL', async () => {
    const { address } = await ingester(protobuf('partial', live));
    const err = await new RemoteTraceSource({ address, timeoutMs: 2000 }).findTraceById('t', id).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof PartialPartsError);
    assert.equal(err.parts.length, 1);
    assert.match(err.message, new RegExp(`ingester ${address} answered a partial trace: trace too large`));
  });

  it('throws a RetryableError naming the ingester on 500', async () => {
    const { address } = await ingester((res) => res.writeHead(500).end('boom'));
    await assert.rejects(new RemoteTraceSource({ address, timeoutMs: 2000 }).findTraceById('t', id),
      (e: unknown) => e instanceof RetryableError && e.message === `ingester ${address} answered 500`);
  });

  it('throws a RetryableError naming the ingester when it does not answer within the timeout', async () => {
    const { address } = await ingester(() => undefined);
    await assert.rejects(new RemoteTraceSource({ address, timeoutMs: 100 }).findTraceById('t', id),
      (e: unknown) => e instanceof RetryableError && e.message === `ingester ${address} timed out after 100 ms`);
  });

  it('throws a RetryableError naming the ingester when the connection is refused', async () => {
    const { fake, address } = await ingester(() => undefined);
    await fake.stop();
    fakes.splice(fakes.indexOf(fake), 1);
    await assert.rejects(new RemoteTraceSource({ address, timeoutMs: 2000 }).findTraceById('t', id),
      (e: unknown) => e instanceof RetryableError && e.message === `ingester ${address} unreachable`);
  });

  it('asks another path with extra query parameters, naming the role in errors, and stops on abort', async () => {
    const { fake, address } = await ingester(protobuf('complete', live));
    const options = { address, timeoutMs: 2000, path: '/querier/api/traces/', params: { mode: 'blocks', blockStart: 'a', blockEnd: 'b' }, role: 'querier' };
    await new RemoteTraceSource(options).findTraceById('t', id, { start: 1, end: 2 });
    assert.equal(fake.seen[0]!.url, `/querier/api/traces/${TRACE_ID}?mode=blocks&blockStart=a&blockEnd=b&start=1&end=2`);
    const failing = await ingester((res) => res.writeHead(503).end());
    await assert.rejects(new RemoteTraceSource({ ...options, address: failing.address }).findTraceById('t', id),
      (e: unknown) => e instanceof RetryableError && e.message === `querier ${failing.address} answered 503`);
    const silent = await ingester(() => undefined);
    const aborted = new RemoteTraceSource({ ...options, address: silent.address, signal: AbortSignal.abort() }).findTraceById('t', id);
    await assert.rejects(aborted, (e: unknown) => e instanceof RetryableError && e.message === `querier ${silent.address} request aborted`);
  });

  it('lets the Querier merge a PARTIAL ingester answer and a down ingester into a partial trace', async () => {
    const block = encodeTrace([{ service: 'api', scopes: [{ name: 'http', spans: [{ traceId: TRACE_ID, spanId: '0000000000000002', name: 'child' }] }] }]);
    const partial = await ingester(protobuf('partial', live));
    const down = await ingester((res) => res.writeHead(503).end());
    const querier = new Querier({
      live: [
        new RemoteTraceSource({ address: partial.address, timeoutMs: 2000 }),
        new RemoteTraceSource({ address: down.address, timeoutMs: 2000 }),
        { findTraceById: async () => [block] },
      ],
      logger: pino({ level: 'silent' }),
    });
    const result = await querier.traceById('t', id);
    assert.ok(result !== undefined);
    assert.equal(result.status, 'partial');
    assert.equal(result.message, '2 of 3 trace sources failed, a partial trace is returned');
    assert.deepEqual(summarize(result.trace), ['api/http: 0000000000000001 root, 0000000000000002 child']);
  });
});
