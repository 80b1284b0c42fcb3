import assert from 'node:assert/strict';
import { randomHex } from './sdk-spans.ts';
import { decodeTrace, fetchSpans, getTrace, type ApiVersion } from './tempo-client.ts';
import { decodeMessage } from './trace-proto.ts';
import { removeDir, TracelakeProcess } from './tracelake-process.ts';

/** One span posted as OTLP/JSON with a trace ID of our choosing. */
async function postSpan(proc: TracelakeProcess, traceId: string, spanId: string): Promise<void> {
  const start = BigInt(Date.now()) * 1_000_000n;
  const body = {
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'trace-id-test' } }] },
      scopeSpans: [{
        scope: { name: 'raw' },
        spans: [{ traceId, spanId, name: 'short-id', kind: 2, startTimeUnixNano: String(start), endTimeUnixNano: String(start + 1_000_000n) }],
      }],
    }],
  };
  const res = await fetch(proc.otlpHttpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.text());
}

describe('Tempo trace-ID parsing, end to end', function () {
  let proc: TracelakeProcess | undefined;
  // Leading zeros make the short forms meaningful: 15 significant hex digits (odd length).
  const significant = `a${randomHex(7)}`.slice(0, 15);
  const traceId = '0'.repeat(17) + significant;
  const spanId = randomHex(8);

  before(async function () {
    proc = await TracelakeProcess.start();
    await postSpan(proc, traceId, spanId);
  });

  after(async function () {
    if (proc === undefined) return;
    await proc.stop('SIGKILL');
    await removeDir(proc.dir);
  });

  const forms: Array<[string, () => string]> = [
    ['the full 32-digit ID', () => traceId],
    ['the full ID in upper case', () => traceId.toUpperCase()],
    ['a short ID of odd length (left-padded)', () => significant],
    ['a short ID in upper case', () => significant.toUpperCase()],
    ['a 16-digit ID with one leading zero', () => `0${significant}`],
  ];

  for (const version of ['v2', 'v1'] as ApiVersion[]) {
    for (const [label, id] of forms) {
      it(`finds the trace by ${label} through ${version}`, async function () {
        const spans = await fetchSpans(proc!, id(), version, 'protobuf');
        assert.deepEqual(spans.map((s) => [s.traceId, s.spanId]), [[traceId, spanId]]);
      });
    }

    it(`answers 400 with a plain-text message for a non-hex ID through ${version}`, async function () {
      const res = await getTrace(proc!, `${significant}xyz`, version, 'json');
      assert.equal(res.status, 400);
      assert.match(res.contentType, /^text\/plain/);
      assert.match(res.body.toString('utf8'), /hex/i);
    });

    it(`answers 400 for an ID longer than 128 bits through ${version}`, async function () {
      const res = await getTrace(proc!, `1${randomHex(16)}`, version, 'protobuf');
      assert.equal(res.status, 400);
      assert.match(res.contentType, /^text\/plain/);
      assert.match(res.body.toString('utf8'), /128 bits/);
    });
  }

  it('answers 404 for an unknown ID through v1', async function () {
    const res = await getTrace(proc!, randomHex(16), 'v1', 'protobuf');
    assert.equal(res.status, 404);
  });

  it('answers an unknown ID through v2 with 404, or 200 and an empty trace (both accepted by Grafana)', async function () {
    const id = randomHex(16);
    const proto = await getTrace(proc!, id, 'v2', 'protobuf');
    assert.ok(proto.status === 404 || proto.status === 200, `status ${proto.status}`);
    if (proto.status === 200) {
      // Grafana reads trace.resourceSpans without a nil check: the trace field must be there, empty.
      assert.deepEqual(decodeMessage('TraceByIDResponse', proto.body).trace, {});
      const json = await getTrace(proc!, id, 'v2', 'json');
      assert.equal(json.status, 200);
      assert.deepEqual(decodeTrace(json, 'v2', 'json', 'unknown v2 json'), []);
    }
  });
});
