import type { KafkaMessage, Offsets } from 'kafkajs';
import type { BatchPayload } from '../../../receivers/kafka/batch-consumer.ts';

/** A kafkajs-like eachBatch payload that records what the receiver marked, committed and when. */
export class FakeBatchPayload implements BatchPayload {
  readonly batch: BatchPayload['batch'];
  /** 'resolve:<offset>' and 'commit:<offset>' in the order they happened. */
  readonly events: string[] = [];
  running = true;
  heartbeats = 0;
  heartbeatError: Error | undefined;

  constructor(messages: KafkaMessage[], topic = 'spans', partition = 0) {
    const last = messages.length === 0 ? -1 : Number(messages[messages.length - 1]!.offset);
    this.batch = { topic, partition, messages, highWatermark: String(last + 1) };
  }

  resolveOffset(offset: string): void {
    this.events.push(`resolve:${offset}`);
  }

  async heartbeat(): Promise<void> {
    this.heartbeats++;
    if (this.heartbeatError !== undefined) throw this.heartbeatError;
  }

  async commitOffsetsIfNecessary(offsets?: Offsets): Promise<void> {
    for (const t of offsets?.topics ?? []) for (const p of t.partitions) this.events.push(`commit:${p.offset}`);
  }

  isRunning(): boolean {
    return this.running;
  }

  isStale(): boolean {
    return false;
  }

  resolved(): string[] {
    return this.events.filter((e) => e.startsWith('resolve:')).map((e) => e.slice('resolve:'.length));
  }

  lastCommit(): string | undefined {
    return this.events.filter((e) => e.startsWith('commit:')).at(-1)?.slice('commit:'.length);
  }
}
