import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { createKafka } from '../../../pipeline/kafka/create-kafka.ts';

/** A pino logger whose lines land in `lines`, parsed. */
function capture(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line !== '') lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

describe('createKafka', () => {
  it('sends kafkajs warnings and errors to a child of the given pino logger, with their fields', async () => {
    const { logger, lines } = capture();
    const kafka = createKafka({ brokers: ['127.0.0.1:1'], clientId: 'test', logger });
    kafka.logger().error('Connection error', { broker: '127.0.0.1:1' });
    kafka.logger().warn('Rebalancing', { groupId: 'g' });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lines.length, 2);
    assert.deepEqual(
      lines.map(({ level, msg, lib, broker, groupId }) => ({ level, msg, lib, broker, groupId })),
      [
        { level: 50, msg: 'Connection error', lib: 'kafkajs', broker: '127.0.0.1:1', groupId: undefined },
        { level: 40, msg: 'Rebalancing', lib: 'kafkajs', broker: undefined, groupId: 'g' },
      ],
    );
  });

  it('leaves out kafkajs info and debug chatter', async () => {
    const { logger, lines } = capture();
    const kafka = createKafka({ brokers: ['127.0.0.1:1'], clientId: 'test', logger });
    kafka.logger().info('Starting', {});
    kafka.logger().debug('Request Metadata', {});
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(lines, []);
  });
});
