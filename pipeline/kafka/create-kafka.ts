import kafkajs, { type Kafka, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

const { Kafka: KafkaClient, logLevel } = kafkajs; // CommonJS: no named exports under Node's ESM

export interface CreateKafkaOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** The component's logger; kafkajs's own logs (warn and above) go to a child of it. */
  readonly logger: Logger;
}

/** A kafkajs client whose logs go to pino instead of the console. */
export function createKafka(options: CreateKafkaOptions): Kafka {
  return new KafkaClient({
    brokers: [...options.brokers],
    clientId: options.clientId,
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(options.logger.child({ lib: 'kafkajs' })),
  });
}

function pinoLogCreator(logger: Logger): logCreator {
  return () => (entry: LogEntry) => {
    const { message, timestamp: _timestamp, logger: _name, ...fields } = entry.log;
    const data = { namespace: entry.namespace, ...fields };
    if (entry.level === logLevel.ERROR) logger.error(data, message);
    else if (entry.level === logLevel.WARN) logger.warn(data, message);
    else if (entry.level === logLevel.INFO) logger.info(data, message);
    else logger.debug(data, message);
  };
}
