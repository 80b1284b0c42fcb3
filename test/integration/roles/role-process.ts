import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT, type ExitInfo, type Ports } from '../tracelake-process.ts';

/** `tracelake --config <path> --target <targets>`, its output kept for failure messages. */
export class RoleProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<ExitInfo>;
  readonly ports: Ports;
  readonly otlpGrpcUrl: string;
  readonly otlpHttpUrl: string;
  output = '';

  constructor(configPath: string, targets: string, ports: Ports) {
    this.ports = ports;
    this.otlpGrpcUrl = `http://127.0.0.1:${ports.grpc}`;
    this.otlpHttpUrl = `http://127.0.0.1:${ports.http}/v1/traces`;
    this.child = spawn(process.execPath, ['bin/tracelake.ts', '--config', configPath, '--target', targets], {
      cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    const keep = (s: string): void => { this.output += s; };
    this.child.stdout!.setEncoding('utf8').on('data', keep);
    this.child.stderr!.setEncoding('utf8').on('data', keep);
  }

  apiUrl(path: string): string {
    return `http://127.0.0.1:${this.ports.api}${path}`;
  }

  async waitReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`exited ${this.child.exitCode} before ready:\n${this.output}`);
      const status = await fetch(this.apiUrl('/ready')).then((r) => r.status, () => 0);
      if (status === 200) return;
      await sleep(50);
    }
    throw new Error(`not ready within ${timeoutMs} ms:\n${this.output}`);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitInfo> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
