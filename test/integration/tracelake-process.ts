import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDocument } from 'yaml';
import { freePort } from '../support/free-port.ts';

export { freePort };

/** Starts the real `tracelake` command as a child process on free ports, for integration tests and benches. */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = 'bin/tracelake.ts';
const OUTPUT_LIMIT = 256 * 1024;

export interface Ports { readonly grpc: number; readonly http: number; readonly api: number }

export interface IngesterConfig {
  readonly trace_idle_period?: string;
  readonly max_block_duration?: string;
  readonly max_block_bytes?: string | number;
}

export interface StartOptions {
  /** Reuse a previous run's folder (config, WAL, blocks): a restart. A new temp folder otherwise. */
  readonly dir?: string;
  /** Reuse ports (a restart keeps its ports, as a real one would); fresh free ports otherwise. */
  readonly ports?: Ports;
  readonly ingester?: IngesterConfig;
  readonly readyTimeoutMs?: number;
}

/** Any config: the caller writes the whole pipelines.yaml (a gateway, an ingester) and names its ports. */
export interface ConfigStartOptions {
  /** The pipelines.yaml text to run; written to `<dir>/pipelines.yaml`. */
  readonly config: string;
  readonly dir?: string;
  /** The ports the config listens on, for apiUrl/otlpHttpUrl/otlpGrpcUrl; fresh free ports otherwise. */
  readonly ports?: Ports;
  /**
   * When the server counts as started: `api` = GET /ready on the API port answers 200 (the tracelake
   * exporter's); `otlp-http` = the OTLP/HTTP port answers at all (receivers start last, so every
   * component is up): for a config without the tracelake exporter, such as a gateway.
   */
  readonly readiness?: 'api' | 'otlp-http';
  /** Extra environment for the child, e.g. for `${env:VAR}` in the config. */
  readonly env?: Readonly<Record<string, string>>;
  /** `--target` (comma-separated roles); none = the default, all. */
  readonly targets?: string;
  readonly readyTimeoutMs?: number;
}

export interface ExitInfo { readonly code: number | null; readonly signal: NodeJS.Signals | null }

export interface CliResult extends ExitInfo { readonly stdout: string; readonly stderr: string }

const running = new Set<ChildProcess>();
// Safety net: mocha runs with --exit, so a failed test must not leave a server behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function freePorts(): Promise<Ports> {
  return { grpc: await freePort(), http: await freePort(), api: await freePort() };
}

/**
 * The shipped embedded default (pipelines.yaml at the repository root) with its
 * ports and folders moved to `ports` and `dir`, and `ingester` keys overridden.
 */
export function embeddedConfig(ports: Ports, dir: string, ingester: IngesterConfig = {}): string {
  const doc = parseDocument(readFileSync(join(REPO_ROOT, 'pipelines.yaml'), 'utf8'));
  doc.setIn(['receivers', 'otlp', 'protocols', 'grpc', 'endpoint'], `127.0.0.1:${ports.grpc}`);
  doc.setIn(['receivers', 'otlp', 'protocols', 'http', 'endpoint'], `127.0.0.1:${ports.http}`);
  doc.setIn(['exporters', 'tracelake', 'server', 'http_listen_port'], ports.api);
  doc.setIn(['exporters', 'tracelake', 'storage', 'trace', 'local', 'path'], join(dir, 'blocks'));
  doc.setIn(['exporters', 'tracelake', 'storage', 'trace', 'wal', 'path'], join(dir, 'wal'));
  for (const [k, v] of Object.entries(ingester)) doc.setIn(['exporters', 'tracelake', 'ingester', k], v);
  return doc.toString();
}

export async function makeTempDir(prefix = 'tracelake-it-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Runs `node bin/tracelake.ts <args>` to completion (for `validate` and start-up failures). */
export async function runTracelake(args: readonly string[], timeoutMs = 30_000): Promise<CliResult> {
  const child = spawnTracelake(args);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exit = await exitOf(child);
  clearTimeout(timer);
  return { ...exit, stdout, stderr };
}

function spawnTracelake(args: readonly string[], env: Readonly<Record<string, string>> = {}): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, NODE_NO_WARNINGS: '1' },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function exitOf(child: ChildProcess): Promise<ExitInfo> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/** A running Tracelake server. */
export class TracelakeProcess {
  readonly dir: string;
  readonly ports: Ports;
  readonly configPath: string;
  readonly child: ChildProcess;
  readonly exited: Promise<ExitInfo>;
  /** Set when started with startWithConfig: what restart() runs again. */
  readonly #custom: ConfigStartOptions | undefined;
  #output = '';

  private constructor(dir: string, ports: Ports, configPath: string, custom?: ConfigStartOptions) {
    this.dir = dir;
    this.ports = ports;
    this.configPath = configPath;
    this.#custom = custom;
    const targets = custom?.targets === undefined ? [] : ['--target', custom.targets];
    this.child = spawnTracelake(['--config', configPath, ...targets], custom?.env);
    this.exited = exitOf(this.child);
    const keep = (s: string): void => {
      this.#output = (this.#output + s).slice(-OUTPUT_LIMIT);
    };
    this.child.stdout!.setEncoding('utf8').on('data', keep);
    this.child.stderr!.setEncoding('utf8').on('data', keep);
  }

  /** Writes the config, spawns the server and waits until GET /ready answers 200. */
  static async start(options: StartOptions = {}): Promise<TracelakeProcess> {
    const dir = options.dir ?? (await makeTempDir());
    const ports = options.ports ?? (await freePorts());
    await mkdir(dir, { recursive: true });
    const configPath = join(dir, 'pipelines.yaml');
    await writeFile(configPath, embeddedConfig(ports, dir, options.ingester));
    const proc = new TracelakeProcess(dir, ports, configPath);
    await proc.waitReady(options.readyTimeoutMs ?? 30_000);
    return proc;
  }

  /** Writes `options.config` as the config, spawns the server and waits until it is ready (see `readiness`). */
  static async startWithConfig(options: ConfigStartOptions): Promise<TracelakeProcess> {
    const dir = options.dir ?? (await makeTempDir());
    const ports = options.ports ?? (await freePorts());
    await mkdir(dir, { recursive: true });
    const configPath = join(dir, 'pipelines.yaml');
    await writeFile(configPath, options.config);
    const proc = new TracelakeProcess(dir, ports, configPath, { ...options, dir, ports });
    await proc.waitReady(options.readyTimeoutMs ?? 30_000);
    return proc;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get blocksDir(): string {
    return join(this.dir, 'blocks');
  }

  get walDir(): string {
    return join(this.dir, 'wal');
  }

  /** Everything the server printed (stdout and stderr interleaved, last 256 KiB). */
  get output(): string {
    return this.#output;
  }

  apiUrl(path: string): string {
    return `http://127.0.0.1:${this.ports.api}${path}`;
  }

  get otlpHttpUrl(): string {
    return `http://127.0.0.1:${this.ports.http}/v1/traces`;
  }

  get otlpGrpcUrl(): string {
    return `http://127.0.0.1:${this.ports.grpc}`;
  }

  /** Sends `signal` and waits for the exit; SIGKILLs and throws if the process does not end in time. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM', timeoutMs = 30_000): Promise<ExitInfo> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.waitExit(timeoutMs, signal);
  }

  /** Waits for an exit already under way (a signal sent elsewhere), without signalling again. */
  async waitExit(timeoutMs = 30_000, cause = 'the signal'): Promise<ExitInfo> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
    const result = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
      throw new Error(`tracelake did not exit within ${timeoutMs} ms of ${cause}; output:\n${this.output}`);
    }
    return result;
  }

  /**
   * Starts a new server on the same folder and ports; one started with startWithConfig runs the same
   * config again (`options` do not apply to it).
   */
  restart(options: Omit<StartOptions, 'dir' | 'ports'> = {}): Promise<TracelakeProcess> {
    if (this.#custom !== undefined) return TracelakeProcess.startWithConfig(this.#custom);
    return TracelakeProcess.start({ ...options, dir: this.dir, ports: this.ports });
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const otlpOnly = this.#custom?.readiness === 'otlp-http';
    const probe = otlpOnly ? this.otlpHttpUrl : this.apiUrl('/ready');
    let lastError = 'no answer';
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(
          `tracelake exited (code ${this.child.exitCode}, signal ${this.child.signalCode}) before ${probe} answered; output:\n${this.output}`,
        );
      }
      try {
        const res = await fetch(probe, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        // A GET on the OTLP path answers 405 once the receiver listens; any answer will do.
        if (res.status === 200 || otlpOnly) return;
        lastError = `status ${res.status}`;
      } catch (err) {
        lastError = (err as Error).message;
      }
      await sleep(50);
    }
    this.child.kill('SIGKILL');
    await this.exited;
    throw new Error(`tracelake ${probe} did not answer${otlpOnly ? '' : ' 200'} within ${timeoutMs} ms (${lastError}); output:\n${this.output}`);
  }
}
