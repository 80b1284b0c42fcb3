import { setTimeout as sleep } from 'node:timers/promises';
import { recordSimpleTrace, traceIdOf } from '../sdk-spans.ts';
import type { NormSpan } from '../trace-model.ts';
import type { TracelakeProcess } from '../tracelake-process.ts';
import { encodeSpans, postOtlpHttp } from './raw-otlp.ts';
import { expectedSpans } from './trace-checks.ts';

export interface TraceSenderOptions {
  readonly loops: number;
  readonly tracesPerRequest: number;
  readonly spansPerTrace: number;
  /** Pause after each request: keeps the volume (and the time to check it all) small. */
  readonly pauseMs: number;
  /** Requests go out as these tenants in turn (X-Scope-OrgID); none = no header. */
  readonly tenants?: readonly string[];
}

/** A trace that got a 200, and as which tenant. */
export interface AckedTrace {
  readonly tenant: string | undefined;
  readonly spans: NormSpan[];
}

/** Loops posting OTLP/HTTP requests of fresh traces to a gateway until stopped; remembers what got a 200. */
export class TraceSender {
  readonly acked = new Map<string, AckedTrace>();
  readonly refused: string[] = [];
  readonly #o: TraceSenderOptions;
  readonly #loops: Promise<void>[];
  #stopped = false;
  #requests = 0;

  constructor(gateway: TracelakeProcess, options: TraceSenderOptions) {
    this.#o = options;
    this.#loops = Array.from({ length: options.loops }, () => this.#loop(gateway));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#loops);
  }

  async #loop(gateway: TracelakeProcess): Promise<void> {
    const { tenants } = this.#o;
    while (!this.#stopped) {
      const tenant = tenants === undefined ? undefined : tenants[this.#requests++ % tenants.length];
      const traces = Array.from({ length: this.#o.tracesPerRequest }, () => recordSimpleTrace({ spans: this.#o.spansPerTrace, name: 'stream' }));
      const answer = await postOtlpHttp(gateway.otlpHttpUrl, encodeSpans(traces.flat()), 20_000, tenant);
      if (answer.status === 200) for (const spans of traces) this.acked.set(traceIdOf(spans), { tenant, spans: expectedSpans(spans) });
      else this.refused.push(`${answer.status} ${answer.body.toString('latin1').slice(0, 100)}`);
      await sleep(this.#o.pauseMs);
    }
  }
}
