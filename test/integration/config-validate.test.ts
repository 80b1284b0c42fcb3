import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { embeddedConfig, freePorts, makeTempDir, removeDir, runTracelake } from './tracelake-process.ts';

const FIXTURE = new URL('./fixtures/invalid-pipelines.yaml', import.meta.url);

/** The problems planted in the fixture: the line each sits on and a word its report must contain. */
const PLANTED: ReadonlyArray<{ line: number; mentions: string }> = [
  { line: 6, mentions: 'endpoint' }, // an array where a string belongs
  { line: 8, mentions: 'endpont' }, // unknown key
  { line: 9, mentions: 'foo' }, // unknown receiver type
  { line: 12, mentions: 'send_batch_size' }, // not an integer
  { line: 19, mentions: 'backend' }, // not one of the allowed values
  { line: 25, mentions: 'debug/missing' }, // pipeline names a component that is not defined
];

interface Problem { line: number; col: number; text: string }

/** Lines of the form `<file>:<line>:<col> <path>: <message>`. */
function problems(output: string, file: string): Problem[] {
  const found: Problem[] = [];
  for (const text of output.split('\n')) {
    if (!text.startsWith(`${file}:`)) continue;
    const m = /^:(\d+):(\d+) \S.*: \S/.exec(text.slice(file.length));
    assert.ok(m, `malformed report line: ${text}`);
    found.push({ line: Number(m[1]), col: Number(m[2]), text });
  }
  return found;
}

describe('tracelake validate', function () {
  let dir = '';
  let file = '';
  let lines: string[] = [];

  before(async function () {
    dir = await makeTempDir('tracelake-validate-');
    file = join(dir, 'pipelines.yaml');
    await copyFile(FIXTURE, file);
    lines = readFileSync(file, 'utf8').split('\n');
  });

  after(async function () {
    await removeDir(dir);
  });

  it('exits 1 and reports every planted problem at its file:line:col', async function () {
    const result = await runTracelake(['validate', '--config', file]);
    const output = result.stdout + result.stderr;
    assert.equal(result.code, 1, output);
    const found = problems(output, file);
    for (const { line, mentions } of PLANTED) {
      const hit = found.find((p) => p.line === line && p.text.includes(mentions));
      assert.ok(hit, `no report for line ${line} (${mentions}) in:\n${output}`);
      const source = lines[line - 1]!;
      const indent = source.length - source.trimStart().length;
      assert.ok(hit.col > indent && hit.col <= source.length, `column ${hit.col} is outside line ${line}: ${JSON.stringify(source)}`);
    }
    const planted = new Set(PLANTED.map((p) => p.line));
    for (const p of found) assert.ok(planted.has(p.line), `report on a line with no problem: ${p.text}`);
  });

  it('refuses to start the server with the same report, exiting 1', async function () {
    const check = await runTracelake(['validate', '--config', file]);
    const start = await runTracelake(['--config', file]);
    const output = start.stdout + start.stderr;
    assert.equal(start.code, 1, output);
    const lineOf = (p: Problem): string => p.text;
    assert.deepEqual(problems(output, file).map(lineOf).sort(), problems(check.stdout + check.stderr, file).map(lineOf).sort());
  });

  it('exits 0 on a valid file', async function () {
    const valid = join(dir, 'valid.yaml');
    await writeFile(valid, embeddedConfig(await freePorts(), dir));
    const result = await runTracelake(['validate', '--config', valid]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });

  it('expands ${env:VAR:-default} before validating', async function () {
    const withEnv = join(dir, 'env.yaml');
    const text = embeddedConfig(await freePorts(), dir).replace('backend: local', 'backend: ${env:TRACELAKE_IT_UNSET_VAR:-local}');
    assert.ok(text.includes('${env:'), 'the substitution was not planted');
    await writeFile(withEnv, text);
    const result = await runTracelake(['validate', '--config', withEnv]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });
});
