import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/free-port.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/tracelake.ts');

function tracelake(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}


const INVALID = 'test/bin/fixtures/invalid.yaml';

describe('tracelake validate', () => {
  it('prints "F: valid" and exits 0 for the embedded default pipelines.yaml', () => {
    const r = tracelake(['validate', '--config', 'pipelines.yaml']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'pipelines.yaml: valid\n');
    assert.equal(r.status, 0);
  });

  it('prints every problem, one per line on stderr, and exits 1', () => {
    const r = tracelake(['validate', '--config', INVALID]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    const where = lines.map((l) => /^(\S+:\d+:\d+ \S+):/.exec(l)?.[1]);
    assert.deepEqual(where, [
      `${INVALID}:6:7 receivers.otlp.protocols.thrift`,
      `${INVALID}:9:14 processors.batch.timeout`,
      `${INVALID}:13:24 exporters.tracelake.ingester.max_block_bytes`,
      `${INVALID}:19:30 service.pipelines.traces.exporters[1]`,
    ]);
    assert.match(lines[0]!, /unknown key 'thrift'/);
    assert.match(lines[1]!, /a duration needs a unit/);
    assert.match(lines[2]!, /invalid byte size 'lots'/);
    assert.match(lines[3]!, /exporter 'kafka' is not defined under exporters$/);
  });

  it('says so when the file cannot be read', () => {
    const r = tracelake(['validate', '--config', 'no/such/file.yaml']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^tracelake: cannot read no\/such\/file\.yaml: ENOENT/);
  });
});

describe('tracelake', () => {
  it('refuses to start on an invalid config with the same report, starting nothing', () => {
    const r = tracelake(['--config', INVALID]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, tracelake(['validate', '--config', INVALID]).stderr);
    assert.equal(r.stdout, '', 'no log line: nothing started');
  });

  it('exits 2 with usage on a bad command line', () => {
    const r = tracelake(['--config', 'pipelines.yaml', '--target', 'compacter']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown target 'compacter'[\s\S]*usage:/);
    const empty = tracelake(['--config', 'pipelines.yaml', '--target', '']);
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /empty role[\s\S]*usage:/);
  });

  it('refuses at start a distributor whose pipelines feed the tracelake exporter, and exits 1', () => {
    const r = tracelake(['--config', 'pipelines.yaml', '--target', 'distributor']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /runs no ingester to take their data/);
  });

  it('prints its version', () => {
    const r = tracelake(['--version']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^tracelake \d+\.\d+\.\d+ \(revision \S+, node v\d+/);
  });

  it('runs until SIGTERM, then drains and exits 0', async () => {
    const data = mkdtempSync(join(tmpdir(), 'tracelake-cli-'));
    try {
      const env = { ...process.env, GRPC_PORT: String(await freePort()), HTTP_PORT: String(await freePort()), DATA_DIR: data };
      const child = spawn(process.execPath, [bin, '--config', 'test/bin/fixtures/run.yaml'], { cwd: root, env });
      let out = '';
      let signalled = false;
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (!signalled && out.includes('"service started"')) signalled = child.kill('SIGTERM');
      });
      let err = '';
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 0, `stderr: ${err}\nstdout: ${out}`);
      const msgs = out.trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg);
      assert.ok(msgs.includes('service started'));
      assert.ok(msgs.indexOf('shutting down') < msgs.indexOf('service stopped'), msgs.join(', '));
      assert.equal(msgs.filter((m) => m === 'component stopped').length, 4, 'otlp, batch, tracelake, debug');
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
