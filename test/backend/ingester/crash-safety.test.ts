import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { writeBlock } from '../../../backend/block/write-block.ts';
import { Ingester } from '../../../backend/ingester/ingester.ts';
import { LocalObjectStore } from '../../../backend/storage/local-object-store.ts';
import { spanNumbers, traceIdOf } from '../wal/fixtures/make-batch.ts';

const fixture = fileURLToPath(new URL('./fixtures/push-until-killed.ts', import.meta.url));

/** Runs the fixture, kills it with SIGKILL once `acks` pushes were acknowledged; returns the acked traces. */
function runUntilKilled(walDir: string, blocksDir: string, acks: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture, walDir, blocksDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let pending = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) acked.push(Number(line.replace('acked ', '')));
      if (acked.length >= acks) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`fixture exited with ${code}: ${stderr}`));
    });
  });
}

describe('Ingester crash safety', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tracelake-crash-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged span when the process is killed with SIGKILL right after a push resolved', async () => {
    const walDir = path.join(dir, 'wal');
    const acked = await runUntilKilled(walDir, path.join(dir, 'blocks'), 300);
    assert.ok(acked.length >= 300);
    const ingester = new Ingester({
      walDir, store: new LocalObjectStore(path.join(dir, 'blocks')), writeBlock, bloomFalsePositive: 0.01,
      traceIdlePeriodMs: 600_000, maxBlockDurationMs: 600_000, maxBlockBytes: 1024 ** 3,
      logger: pino({ level: 'silent' }), metrics: new Registry(), onBlockFlushed: () => undefined,
    });
    await ingester.start();
    try {
      const missing: number[] = [];
      for (const trace of acked) {
        const parts = await ingester.findTraceById('t1', traceIdOf(trace));
        if (parts.flatMap((p) => spanNumbers(p)).length !== 5) missing.push(trace);
      }
      assert.deepEqual(missing, []);
    } finally {
      await ingester.shutdown();
    }
  });
});
