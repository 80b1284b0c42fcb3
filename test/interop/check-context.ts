import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { removeDir, type TracelakeProcess } from '../integration/tracelake-process.ts';
import { createTopic, uniqueTopic } from './kafka-records.ts';
import { OtelcolProcess, type OtelcolStartOptions } from './otelcol-process.ts';

/** What one interop check gets, and what it leaves behind: its processes' logs under `dir`. */

export interface Suite {
  /** The built Collector binary. */
  readonly otelcol: string;
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** Where each check keeps its configs and logs. */
  readonly runDir: string;
}

type Proc = { readonly kind: 'otelcol'; readonly p: OtelcolProcess } | { readonly kind: 'tracelake'; readonly p: TracelakeProcess };

export class CheckContext {
  readonly suite: Suite;
  readonly dir: string;
  readonly #procs: Array<{ name: string; proc: Proc }> = [];
  readonly #topics: string[] = [];

  constructor(suite: Suite, dir: string) {
    this.suite = suite;
    this.dir = dir;
  }

  static async create(suite: Suite, id: string): Promise<CheckContext> {
    const dir = join(suite.runDir, id);
    await mkdir(dir, { recursive: true });
    return new CheckContext(suite, dir);
  }

  async topic(label: string, partitions: number): Promise<string> {
    const topic = uniqueTopic(label);
    await createTopic(this.suite.admin, topic, partitions);
    this.#topics.push(topic);
    return topic;
  }

  async otelcol(name: string, config: OtelcolStartOptions['config']): Promise<OtelcolProcess> {
    const p = await OtelcolProcess.start({ binary: this.suite.otelcol, config, dir: this.dir, name });
    this.#procs.push({ name, proc: { kind: 'otelcol', p } });
    return p;
  }

  async tracelake(name: string, start: () => Promise<TracelakeProcess>): Promise<TracelakeProcess> {
    const p = await start();
    this.#procs.push({ name, proc: { kind: 'tracelake', p } });
    return p;
  }

  /**
   * Stops every process, writes its output to `<dir>/<name>.log`, deletes the topics and (unless `failed`)
   * Tracelake's folders. Returns, for a failed check, the first warnings and errors each process logged.
   */
  async close(failed: boolean): Promise<string[]> {
    const notable: string[] = [];
    for (const { name, proc } of this.#procs.reverse()) {
      if (proc.kind === 'otelcol') await proc.p.stop();
      else await proc.p.stop('SIGTERM').catch(() => proc.p.stop('SIGKILL'));
      await writeFile(join(this.dir, `${name}.log`), proc.p.output);
      if (failed) notable.push(...warnings(proc.p.output).map((line) => `${name}: ${line}`));
      if (proc.kind === 'tracelake') {
        await writeFile(join(this.dir, `${name}.pipelines.yaml`), await readFile(proc.p.configPath, 'utf8'));
        if (!failed) await removeDir(proc.p.dir);
      }
    }
    if (this.#topics.length > 0) await this.suite.admin.deleteTopics({ topics: this.#topics }).catch(() => undefined);
    return notable;
  }
}

/** The first few warning and error lines of a log: pino's level 40/50, or the Collector's `\twarn\t` / `\terror\t`. */
function warnings(output: string, max = 3): string[] {
  return output.split('\n').filter((l) => /"level":(40|50|60)|\t(warn|error)\t/.test(l)).slice(0, max).map((l) => l.slice(0, 400));
}
