import assert from 'node:assert/strict';
import { parseCli } from '../../bin/cli-args.ts';
import { ConfigError } from '../../pipeline/errors.ts';

describe('parseCli', () => {
  it('runs with --config, target all by default', () => {
    assert.deepEqual(parseCli(['--config', 'p.yaml']), { name: 'run', config: 'p.yaml', target: 'all' });
    assert.deepEqual(parseCli(['--config=p.yaml', '--target', 'all']), { name: 'run', config: 'p.yaml', target: 'all' });
  });

  it('validates with the validate verb', () => {
    assert.deepEqual(parseCli(['validate', '--config', 'p.yaml']), { name: 'validate', config: 'p.yaml' });
  });

  it('answers --version and --help without a config', () => {
    assert.deepEqual(parseCli(['--version']), { name: 'version' });
    assert.deepEqual(parseCli(['-h']), { name: 'help' });
  });

  it('refuses a missing config, unknown targets, verbs and flags', () => {
    assert.throws(() => parseCli([]), /--config <file> is required/);
    assert.throws(() => parseCli(['--config', 'p.yaml', '--target', 'ingester']), /unknown target 'ingester' \(available: all\)/);
    assert.throws(() => parseCli(['serve', '--config', 'p.yaml']), /unexpected argument 'serve'/);
    assert.throws(() => parseCli(['--config', 'p.yaml', '--verbose']), ConfigError);
  });
});
