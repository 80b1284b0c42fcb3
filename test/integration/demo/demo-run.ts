import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from '../tracelake-process.ts';

/**
 * examples/java-agent/demo.sh run for a test, with `--keep`: started on ports of its own, read until it has
 * printed its traces (the services and Tracelake still running, so the test can query them), then stopped
 * with Ctrl-C (SIGINT) as a user would, and checked to have stopped what it started.
 */

/** Where the demo listens: BASE_PORT and the ports derived from it, the OTLP ports, SERVICES_PORT + 0…4. */
export interface DemoPorts { readonly base: number; readonly grpc: number; readonly http: number; readonly services: number }

/** One `trace <id> checkout <outcome> services=…` line. */
export interface DemoTrace { readonly id: string; readonly outcome: 'ok' | 'error'; readonly services: readonly string[] }

export interface DemoStart { readonly name: string; readonly pid: number }

// run.sh's roles: base, base+1, base+2, base+10, base+20; the gateway's health and metrics: base+31, base+32.
const BASE_OFFSETS = [0, 1, 2, 10, 20, 31, 32];

/** Whether something accepts connections on 127.0.0.1:`port`. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/** Every port the demo would use, given its settings. */
export function allPorts(p: DemoPorts): number[] {
  return [...BASE_OFFSETS.map((o) => p.base + o), p.grpc, p.http, ...[0, 1, 2, 3, 4].map((o) => p.services + o)];
}

/** Random ports below the ephemeral range (see test/support/free-port.ts) on which nothing listens. */
export async function pickPorts(): Promise<DemoPorts> {
  for (let tries = 0; tries < 200; tries++) {
    const base = 20000 + Math.floor(Math.random() * 1000) * 12;
    const p = { base, grpc: base + 40, http: base + 41, services: base + 50 };
    const busy = await Promise.all(allPorts(p).map(listening));
    if (!busy.includes(true)) return p;
  }
  throw new Error('no free block of ports for the demo');
}

const running = new Set<ChildProcess>();
// Safety net for a test run that ends early: TERM lets the script stop its own processes (KILL would orphan them).
process.once('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

/** One run of demo.sh with `--keep`, its output parsed line by line. */
export class DemoRun {
  readonly child: ChildProcess;
  readonly traces: DemoTrace[] = [];
  readonly started: DemoStart[] = [];
  readonly stopped: DemoStart[] = [];
  searchUrl = '';
  #output = '';
  #partial = ''; // stdout past its last newline
  readonly #exit: Promise<number | null>;

  constructor(args: readonly string[], env: Readonly<Record<string, string>>) {
    this.child = spawn('bash', [join(REPO_ROOT, 'examples/java-agent/demo.sh'), '--keep', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(this.child);
    this.#exit = new Promise((resolve) => this.child.once('exit', (code) => {
      running.delete(this.child);
      resolve(code);
    }));
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => this.#read(s));
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => { this.#output += s; });
  }

  get output(): string {
    return this.#output;
  }

  /** Resolves once the demo printed its search link (all traces found); rejects if it exits first. */
  async untilTraces(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.searchUrl === '') {
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the demo ${this.child.exitCode === null ? 'timed out' : `exited ${this.child.exitCode}`}:\n${this.#output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Ctrl-C; resolves with the exit code. */
  async interrupt(timeoutMs: number): Promise<number | null> {
    this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.#exit;
    clearTimeout(timer);
    return code;
  }

  #read(chunk: string): void {
    this.#output += chunk;
    const lines = (this.#partial + chunk).split('\n');
    this.#partial = lines.pop()!;
    for (const line of lines) {
      let m = /^trace ([0-9a-f]{32}) checkout (ok|error) services=(\S+)$/.exec(line);
      if (m !== null) this.traces.push({ id: m[1]!, outcome: m[2] as 'ok' | 'error', services: m[3]!.split(',') });
      m = /^(started|stopped) (\S+) pid (\d+)$/.exec(line);
      if (m !== null) (m[1] === 'started' ? this.started : this.stopped).push({ name: m[2]!, pid: Number(m[3]) });
      m = /^search (\S+)$/.exec(line);
      if (m !== null) this.searchUrl = m[1]!;
    }
  }
}
