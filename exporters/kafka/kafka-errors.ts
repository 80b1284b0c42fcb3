import { PermanentError, RetryableError } from '../../pipeline/errors.ts';

/** Broker answers that say the records themselves are refused: sending them again cannot help. */
const RECORDS_REFUSED = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

interface KafkaJsErrorLike {
  readonly name?: string;
  readonly type?: string;
  readonly retriable?: boolean;
  readonly cause?: unknown;
}

/**
 * A kafkajs failure in the error catalogue: records refused by the broker (too large, invalid) are
 * PermanentError; everything else (unreachable brokers, timeouts, leader changes, and also refusals a
 * fix on the Kafka side would cure, such as authorization) is RetryableError, so the data is kept
 * upstream or the client is told to come back.
 */
export function toExportError(err: unknown, brokers: readonly string[]): PermanentError | RetryableError {
  const refused = protocolError(err)?.type;
  const detail = err instanceof Error ? err.message : String(err);
  if (refused !== undefined && RECORDS_REFUSED.has(refused)) {
    return new PermanentError(`Kafka refused the records (${refused}): ${detail}`, { cause: err });
  }
  return new RetryableError(`producing to Kafka (${brokers.join(',')}) failed: ${detail}`, { cause: err });
}

/** Whether kafkajs itself deemed the failure final, for logging it louder than the usual transient ones. */
export function isNonRetriableKafkaError(err: unknown): boolean {
  return protocolError(err)?.retriable === false;
}

/** The broker's error answer (type `MESSAGE_TOO_LARGE`, …) behind a kafkajs failure, looking through retry wrappers. */
function protocolError(err: unknown): KafkaJsErrorLike | undefined {
  let e = err as KafkaJsErrorLike | null | undefined;
  for (let depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (e.name === 'KafkaJSProtocolError' && typeof e.type === 'string') return e;
    e = e.cause as KafkaJsErrorLike | null | undefined;
  }
  return undefined;
}
