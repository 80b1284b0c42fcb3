import assert from 'node:assert/strict';
import { Client, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { decodeMessage } from './trace-proto.ts';
import { removeDir, TracelakeProcess } from './tracelake-process.ts';

// Field 1 (resource_spans) announces 10 bytes, 2 follow: truncated.
const TRUNCATED_PROTOBUF = Buffer.from([0x0a, 0x0a, 0x01, 0x02]);
const EXPORT_METHOD = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

function grpcExport(proc: TracelakeProcess, body: Buffer): Promise<ServiceError | undefined> {
  const client = new Client(`127.0.0.1:${proc.ports.grpc}`, credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(EXPORT_METHOD, (b: Buffer) => b, (b: Buffer) => b, body, (err) => {
      client.close();
      resolve(err ?? undefined);
    });
  });
}

describe('malformed OTLP', function () {
  let proc: TracelakeProcess | undefined;

  before(async function () {
    proc = await TracelakeProcess.start();
  });

  after(async function () {
    if (proc === undefined) return;
    await proc.stop('SIGKILL');
    await removeDir(proc.dir);
  });

  it('answers a truncated protobuf body over HTTP with 400 and a google.rpc.Status message', async function () {
    const res = await fetch(proc!.otlpHttpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: TRUNCATED_PROTOBUF,
    });
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type') ?? '', /^application\/x-protobuf/);
    const body = decodeMessage('RpcStatus', Buffer.from(await res.arrayBuffer()));
    assert.equal(typeof body.message, 'string');
    assert.ok((body.message as string).length > 0, 'empty message');
  });

  it('answers a JSON body that is not JSON with 400 and a message', async function () {
    const res = await fetch(proc!.otlpHttpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"resourceSpans": [',
    });
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await res.json()) as { message?: unknown };
    assert.equal(typeof body.message, 'string');
    assert.ok((body.message as string).length > 0, 'empty message');
  });

  it('answers OTLP/JSON of the wrong shape with 400 naming the offending field', async function () {
    const res = await fetch(proc!.otlpHttpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 12, name: 'x' }] }] }] }),
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { message?: string };
    assert.match(body.message ?? '', /traceId/);
  });

  it('answers a truncated protobuf over gRPC with INVALID_ARGUMENT and a message', async function () {
    const err = await grpcExport(proc!, TRUNCATED_PROTOBUF);
    assert.ok(err !== undefined, 'the export succeeded');
    assert.equal(err.code, status.INVALID_ARGUMENT, err.message);
    assert.ok(err.details.length > 0, 'empty details');
  });

  it('still accepts a valid request on both protocols after the bad ones', async function () {
    const res = await fetch(proc!.otlpHttpUrl, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(0) });
    assert.equal(res.status, 200);
    assert.equal(await grpcExport(proc!, Buffer.alloc(0)), undefined);
  });
});
