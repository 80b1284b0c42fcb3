import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import { isNonRetriableKafkaError, toExportError } from '../../../exporters/kafka/kafka-errors.ts';
import { PermanentError, RetryableError } from '../../../pipeline/errors.ts';

const { KafkaJSProtocolError, KafkaJSNumberOfRetriesExceeded, KafkaJSConnectionError } = kafkajs;

function protocolError(type: string, retriable: boolean): Error {
  return new KafkaJSProtocolError({ type, code: 0, retriable, message: `${type} happened` } as never);
}

describe('toExportError', () => {
  it('makes a record the broker finds too large a PermanentError, through the retry wrapper', () => {
    const tooLarge = new KafkaJSNumberOfRetriesExceeded(protocolError('MESSAGE_TOO_LARGE', false), { retryCount: 0, retryTime: 0 });
    const err = toExportError(tooLarge, ['k:9092']);
    assert.ok(err instanceof PermanentError);
    assert.match(err.message, /MESSAGE_TOO_LARGE/);
    assert.equal(err.cause, tooLarge);
  });

  it('makes an unreachable broker a RetryableError naming the brokers', () => {
    const err = toExportError(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED'), ['a:9092', 'b:9092']);
    assert.ok(err instanceof RetryableError);
    assert.match(err.message, /a:9092,b:9092.*ECONNREFUSED/);
  });

  it('keeps leader changes and refusals a Kafka-side fix would cure retryable', () => {
    assert.ok(toExportError(protocolError('NOT_LEADER_FOR_PARTITION', true), []) instanceof RetryableError);
    const denied = protocolError('TOPIC_AUTHORIZATION_FAILED', false);
    assert.ok(toExportError(denied, []) instanceof RetryableError);
    assert.equal(isNonRetriableKafkaError(denied), true);
    assert.equal(isNonRetriableKafkaError(new Error('socket hang up')), false);
  });
});
