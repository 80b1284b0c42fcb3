import assert from 'node:assert/strict';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { recordSampleTrace, sendSpans, traceIdOf, TRANSPORTS } from './sdk-spans.ts';
import { API_VARIANTS, fetchSpans } from './tempo-client.ts';
import { fromReadableSpan, sortSpans } from './trace-model.ts';
import { removeDir, TracelakeProcess } from './tracelake-process.ts';

describe('embedded tracelake: OpenTelemetry JS SDK in, Tempo API out', function () {
  let proc: TracelakeProcess | undefined;

  before(async function () {
    proc = await TracelakeProcess.start();
  });

  after(async function () {
    if (proc === undefined) return;
    await proc.stop('SIGKILL');
    await removeDir(proc.dir);
  });

  for (const transport of TRANSPORTS) {
    describe(`spans exported over ${transport}`, function () {
      let recorded: ReadableSpan[] = [];

      before(async function () {
        recorded = recordSampleTrace(`checkout-${transport.replace('/', '-')}`);
        await sendSpans(transport, proc!, recorded);
      });

      it('recorded a trace with every field under test', function () {
        // Guards the fixture itself: five spans of five kinds, events, a link, an error.
        assert.equal(recorded.length, 5);
        assert.deepEqual(new Set(recorded.map((s) => s.kind)), new Set([0, 1, 2, 3, 4]));
        assert.ok(recorded.some((s) => s.links.length > 0 && s.events.length === 0));
        assert.ok(recorded.some((s) => s.status.code === 2 && s.status.message));
      });

      for (const { version, format } of API_VARIANTS) {
        it(`returns IDs, names, kinds, times, attributes, events, links, status, resource and scope unchanged through ${version} ${format}`, async function () {
          const expected = sortSpans(recorded.map(fromReadableSpan));
          const actual = await fetchSpans(proc!, traceIdOf(recorded), version, format);
          assert.deepStrictEqual(actual, expected);
        });
      }
    });
  }

  it('answers the same trace identically through all four API variants', async function () {
    const recorded = recordSampleTrace('consistency');
    await sendSpans('grpc', proc!, recorded);
    const id = traceIdOf(recorded);
    const [first, ...rest] = await Promise.all(API_VARIANTS.map((v) => fetchSpans(proc!, id, v.version, v.format)));
    for (const other of rest) assert.deepStrictEqual(other, first);
  });
});
