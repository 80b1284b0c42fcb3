import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { protobufToJson } from '../../../pipeline/otlp/json.ts';
import { QueueFullError, RetryableError, UnauthorizedError } from '../../../pipeline/errors.ts';
import { deferred, startReceiver, until, type StartedReceiver } from './receiver-harness.ts';
import { encodeTraceRequest, testSpans, traceRequestJson } from './trace-payload.ts';

const PROTOBUF = { 'Content-Type': 'application/x-protobuf' };
const JSON_TYPE = { 'Content-Type': 'application/json' };

describe('OTLP/HTTP receiver', () => {
  let r: StartedReceiver;

  beforeEach(async () => {
    r = await startReceiver({ http: { max_request_body_size: 64 * 1024 } });
  });

  afterEach(async () => {
    await r.receiver.shutdown();
  });

  const post = (body: Uint8Array | string, headers: Record<string, string>): Promise<Response> =>
    fetch(r.httpUrl, { method: 'POST', headers, body });

  it('accepts protobuf and hands the spans on before replying 200 with an empty response', async () => {
    const spans = testSpans(3);
    const res = await post(encodeTraceRequest([{ service: 'svc', spans }]), PROTOBUF);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/x-protobuf');
    assert.equal((await res.arrayBuffer()).byteLength, 0);
    assert.deepEqual(r.consumer.spanIds(), spans.map((s) => s.spanId));
    assert.equal(r.consumer.calls[0]!.ctx.tenant, undefined);
  });

  it('accepts OTLP/JSON with a charset and replies {}', async () => {
    const spans = testSpans(2);
    const res = await post(JSON.stringify(traceRequestJson([{ service: 'svc', spans }])),
      { 'Content-Type': 'application/json; charset=utf-8' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(await res.json(), {});
    assert.deepEqual(r.consumer.spanIds(), spans.map((s) => s.spanId));
  });

  for (const [encoding, compress] of [
    ['gzip', zlib.gzipSync], ['deflate', zlib.deflateSync], ['zstd', zlib.zstdCompressSync],
  ] as const) {
    it(`accepts a ${encoding} body`, async () => {
      const spans = testSpans(5);
      const res = await post(compress(encodeTraceRequest([{ service: 'svc', spans }])),
        { ...PROTOBUF, 'Content-Encoding': encoding });
      assert.equal(res.status, 200);
      assert.equal(r.consumer.calls[0]!.batch.spanCount, 5);
    });
  }

  it('passes X-Scope-OrgID on as the tenant', async () => {
    const res = await post(encodeTraceRequest([{ service: 'svc', spans: testSpans(1) }]),
      { ...PROTOBUF, 'X-Scope-OrgID': 'team-a' });
    assert.equal(res.status, 200);
    assert.equal(r.consumer.calls[0]!.ctx.tenant, 'team-a');
  });

  it('replies 400 with a protobuf google.rpc.Status carrying a message for malformed protobuf', async () => {
    const res = await post(Uint8Array.of(0x0a, 0x50, 0x01), PROTOBUF);
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), 'application/x-protobuf');
    const status = protobufToJson(new Uint8Array(await res.arrayBuffer()), 'Status', 'otlp') as Record<string, unknown>;
    assert.equal(status.code, 3);
    assert.match(String(status.message), /truncated/);
    assert.equal(r.consumer.calls.length, 0);
  });

  it('replies 400 with a JSON google.rpc.Status for malformed JSON', async () => {
    const res = await post('{"resourceSpans": [', JSON_TYPE);
    assert.equal(res.status, 400);
    const body = await res.json() as { code: number; message: string };
    assert.equal(body.code, 3);
    assert.match(body.message, /invalid JSON/);
  });

  it('replies 400 for an unsupported Content-Encoding', async () => {
    const res = await post(encodeTraceRequest([]), { ...PROTOBUF, 'Content-Encoding': 'br' });
    assert.equal(res.status, 400);
  });

  it('replies 413 when Content-Length is over the limit', async () => {
    const res = await post(new Uint8Array(64 * 1024 + 1), PROTOBUF);
    assert.equal(res.status, 413);
  });

  it('replies 413 when a chunked body grows over the limit', async () => {
    const chunk = new Uint8Array(16 * 1024);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await fetch(r.httpUrl, { method: 'POST', headers: PROTOBUF, body, duplex: 'half' } as RequestInit);
    assert.equal(res.status, 413);
  });

  it('replies 413 for a small gzip body that inflates over the limit', async () => {
    const bomb = zlib.gzipSync(new Uint8Array(10 * 1024 * 1024));
    assert.ok(bomb.length < 64 * 1024);
    const res = await post(bomb, { ...PROTOBUF, 'Content-Encoding': 'gzip' });
    assert.equal(res.status, 413);
    assert.equal(r.consumer.calls.length, 0);
  });

  it('replies 415 for other media types', async () => {
    const res = await post('hello', { 'Content-Type': 'text/plain' });
    assert.equal(res.status, 415);
  });

  it('replies 405 for other methods and 404 for other paths', async () => {
    const get = await fetch(r.httpUrl);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    const other = await fetch(r.httpUrl.replace('/v1/traces', '/v1/logs'), { method: 'POST', headers: PROTOBUF });
    assert.equal(other.status, 404);
  });

  it('reports spans with invalid IDs as partial success, in protobuf and JSON', async () => {
    const spans = [...testSpans(2), { traceId: '0'.repeat(32), spanId: '1'.repeat(16), name: 'bad' }];
    const res = await post(encodeTraceRequest([{ service: 'svc', spans }]), PROTOBUF);
    assert.equal(res.status, 200);
    const response = protobufToJson(new Uint8Array(await res.arrayBuffer()), 'ExportTraceServiceResponse', 'otlp');
    const partial = (response as { partialSuccess: { rejectedSpans: unknown; errorMessage: string } }).partialSuccess;
    assert.equal(String(partial.rejectedSpans), '1');
    assert.notEqual(partial.errorMessage, '');
    assert.equal(r.consumer.calls[0]!.batch.spanCount, 2);

    const json = await post(JSON.stringify(traceRequestJson([{ service: 'svc', spans }])), JSON_TYPE);
    const body = await json.json() as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    assert.equal(body.partialSuccess.rejectedSpans, '1');
    assert.notEqual(body.partialSuccess.errorMessage, '');
  });

  it('maps refusals downstream to 503 with Retry-After (a full queue too) and 401', async () => {
    const body = encodeTraceRequest([{ service: 'svc', spans: testSpans(1) }]);
    r.consumer.behaviour = async () => {
      throw new RetryableError('storage down', { retryAfterSeconds: 7 });
    };
    const unavailable = await post(body, PROTOBUF);
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers.get('retry-after'), '7');

    r.consumer.behaviour = async () => {
      throw new QueueFullError('queue full', { retryAfterSeconds: 2 });
    };
    const full = await post(body, PROTOBUF);
    assert.equal(full.status, 503);
    assert.equal(full.headers.get('retry-after'), '2');

    r.consumer.behaviour = async () => {
      throw new UnauthorizedError('no tenant');
    };
    const unauthorized = await post(JSON.stringify(traceRequestJson([{ service: 'svc', spans: testSpans(1) }])),
      JSON_TYPE);
    assert.equal(unauthorized.status, 401);
    assert.deepEqual(await unauthorized.json(), { code: 16, message: 'no tenant' });
  });

  it('does not reply before the next consumer resolved', async () => {
    const release = deferred();
    r.consumer.behaviour = () => release.promise;
    let replied = false;
    const reply = post(encodeTraceRequest([{ service: 'svc', spans: testSpans(1) }]), PROTOBUF)
      .then((res) => {
        replied = true;
        return res;
      });
    await until(() => r.consumer.calls.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(replied, false);
    release.resolve();
    assert.equal((await reply).status, 200);
  });

  it('counts accepted and refused spans per transport', async () => {
    await post(encodeTraceRequest([{ service: 'svc', spans: testSpans(4) }]), PROTOBUF);
    r.consumer.behaviour = async () => {
      throw new RetryableError('down');
    };
    await post(encodeTraceRequest([{ service: 'svc', spans: testSpans(3) }]), PROTOBUF);
    const text = await r.settings.metrics.metrics();
    assert.match(text, /tracelake_receiver_accepted_spans_total\{receiver="otlp",transport="http"\} 4/);
    assert.match(text, /tracelake_receiver_refused_spans_total\{receiver="otlp",transport="http"\} 3/);
  });

  it('finishes an in-flight request on shutdown before resolving', async () => {
    const release = deferred();
    r.consumer.behaviour = () => release.promise;
    const reply = post(encodeTraceRequest([{ service: 'svc', spans: testSpans(1) }]), PROTOBUF);
    await until(() => r.consumer.calls.length === 1);
    let stopped = false;
    const shutdown = r.receiver.shutdown().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(stopped, false);
    release.resolve();
    assert.equal((await reply).status, 200);
    await shutdown;
    await assert.rejects(post(encodeTraceRequest([]), PROTOBUF));
  });
});

describe('OTLP/HTTP receiver connection settings', () => {
  it('closes connections when keepalives_enabled is false and adds response_headers', async () => {
    const r = await startReceiver({ http: { keepalives_enabled: false, response_headers: { 'X-Served-By': 'tracelake' } } });
    try {
      const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = http.request(r.httpUrl, { method: 'POST', headers: PROTOBUF, agent: new http.Agent({ keepAlive: true }) },
          resolve);
        req.on('error', reject);
        req.end(encodeTraceRequest([{ service: 'svc', spans: testSpans(1) }]));
      });
      res.resume();
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers.connection, 'close');
      assert.equal(res.headers['x-served-by'], 'tracelake');
    } finally {
      await r.receiver.shutdown();
    }
  });
});
