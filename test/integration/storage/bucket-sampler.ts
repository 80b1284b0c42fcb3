import { setTimeout as sleep } from 'node:timers/promises';
import { describeSnapshot, type BucketView, type TenantSnapshot } from './bucket-view.ts';

/**
 * Lists a tenant's blocks every `everyMs` in the background and records what a test asserts afterwards:
 * the most live blocks seen at once, the compaction markers seen, and any block that stopped being live
 * without a meta.compacted.json while objects of it remained.
 */
export class BucketSampler {
  peakLive = 0;
  readonly everLive = new Set<string>();
  readonly markedSeen = new Set<string>();
  readonly violations: string[] = [];
  last: TenantSnapshot | undefined;
  readonly #view: BucketView;
  readonly #tenant: string;
  readonly #stop = new AbortController();
  readonly #loop: Promise<void>;
  #error: unknown;

  constructor(view: BucketView, tenant: string, everyMs = 150) {
    this.#view = view;
    this.#tenant = tenant;
    this.#loop = this.#run(everyMs);
  }

  async sample(): Promise<TenantSnapshot> {
    const s = await this.#view.tenant(this.#tenant);
    this.peakLive = Math.max(this.peakLive, s.live.length);
    for (const id of s.live) this.everLive.add(id);
    for (const id of s.compacted) this.markedSeen.add(id);
    for (const [id, names] of s.folders) {
      // meta.json and meta.compacted.json are removed last, so a block once live is never left unmarked.
      if (this.everLive.has(id) && !names.includes('meta.json') && !names.includes('meta.compacted.json')) {
        this.violations.push(`${id} has neither meta.json nor meta.compacted.json:\n${describeSnapshot(s)}`);
      }
    }
    this.last = s;
    return s;
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
    if (this.#error !== undefined) throw this.#error;
  }

  async #run(everyMs: number): Promise<void> {
    while (!this.#stop.signal.aborted) {
      try {
        await this.sample();
      } catch (err) {
        this.#error ??= err;
        return;
      }
      await sleep(everyMs, undefined, { signal: this.#stop.signal }).catch(() => undefined);
    }
  }
}
