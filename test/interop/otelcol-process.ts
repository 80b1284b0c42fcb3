import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';

/** The real OpenTelemetry Collector (built by collector.sh with ocb) as a child process. */

const OUTPUT_LIMIT = 512 * 1024;
// Printed by otelcol's service once every pipeline has started.
const READY_LINE = 'Everything is ready';

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface OtelcolStartOptions {
  /** Path of the built Collector binary. */
  readonly binary: string;
  /** The Collector config as an object; written as YAML to `<dir>/<name>.yaml`. */
  readonly config: Record<string, unknown>;
  readonly dir: string;
  readonly name: string;
  readonly readyTimeoutMs?: number;
}

export class OtelcolProcess {
  readonly child: ChildProcess;
  readonly configPath: string;
  readonly exited: Promise<void>;
  #output = '';

  private constructor(binary: string, configPath: string) {
    this.configPath = configPath;
    this.child = spawn(binary, ['--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(this.child);
    this.exited = new Promise((resolve) => this.child.once('exit', () => {
      running.delete(this.child);
      resolve();
    }));
    const keep = (s: string): void => {
      this.#output = (this.#output + s).slice(-OUTPUT_LIMIT);
    };
    this.child.stdout!.setEncoding('utf8').on('data', keep);
    this.child.stderr!.setEncoding('utf8').on('data', keep);
  }

  /** Writes the config, starts the Collector and waits for its "Everything is ready" log line. */
  static async start(options: OtelcolStartOptions): Promise<OtelcolProcess> {
    const configPath = join(options.dir, `${options.name}.yaml`);
    await writeFile(configPath, stringify(options.config));
    const proc = new OtelcolProcess(options.binary, configPath);
    await proc.#waitReady(options.readyTimeoutMs ?? 30_000);
    return proc;
  }

  /** stdout and stderr interleaved (the last 512 KiB). */
  get output(): string {
    return this.#output;
  }

  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  async #waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.#output.includes(READY_LINE)) return;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`otelcol exited (code ${this.child.exitCode}) before it was ready; output:\n${this.#output}`);
      }
      await sleep(50);
    }
    this.child.kill('SIGKILL');
    await this.exited;
    throw new Error(`otelcol not ready within ${timeoutMs} ms; output:\n${this.#output}`);
  }
}

/** service: the pipeline, the Collector's own metrics off (no :8888 to collide on), logs at info. */
export function otelcolService(traces: { receivers: string[]; processors?: string[]; exporters: string[] }): Record<string, unknown> {
  return {
    telemetry: { metrics: { level: 'none' }, logs: { level: 'info' } },
    pipelines: { traces },
  };
}
