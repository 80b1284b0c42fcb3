// Waits until the Kafka broker answers a metadata request (what every client does first).
// Usage: wait-ready.ts <host:port> <timeout ms> <broker pid>. Exits 0 when ready, 1 on timeout,
// 2 as soon as the broker process is gone (no point waiting out the timeout).
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { processAlive } from '../process-alive.ts';

const [broker = '', timeoutArg = '60000', pidArg = '0'] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutArg);
// Connection refusals are expected while the broker starts: keep kafkajs quiet, report only the outcome.
const kafka = new Kafka({
  clientId: 'tracelake-services',
  brokers: [broker],
  logLevel: logLevel.NOTHING,
  connectionTimeout: 1000,
  retry: { retries: 0 },
});

let lastError = 'no attempt';
while (Date.now() < deadline) {
  if (!processAlive(Number(pidArg))) {
    console.error(`[services] the Kafka broker (pid ${pidArg}) exited during start-up`);
    process.exit(2);
  }
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
    // Looking up a group's coordinator makes the broker create its offsets topic now, so the first consumer
    // group of a test or pipeline does not meet "coordinator not available".
    await admin.describeGroups(['tracelake-services-probe']);
    process.exit(0);
  } catch (err) {
    lastError = (err as Error).message;
  } finally {
    await admin.disconnect();
  }
  await sleep(500);
}
console.error(`[services] Kafka at ${broker} did not answer within ${timeoutArg} ms: ${lastError}`);
process.exit(1);
