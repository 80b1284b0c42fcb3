import assert from 'node:assert/strict';
import { parseCli } from '../../bin/cli-args.ts';
import { ConfigError } from '../../pipeline/errors.ts';

describe('parseCli', () => {
  it('runs with --config, target all by default', () => {
    assert.deepEqual(parseCli(['--config', 'p.yaml']), { name: 'run', config: 'p.yaml', targets: ['all'] });
    assert.deepEqual(parseCli(['--config=p.yaml', '--target', 'all']), { name: 'run', config: 'p.yaml', targets: ['all'] });
  });

  it('runs each role alone', () => {
    for (const role of ['distributor', 'ingester', 'querier', 'query-frontend', 'compactor']) {
      assert.deepEqual(parseCli(['--config', 'p.yaml', '--target', role]), { name: 'run', config: 'p.yaml', targets: [role] });
    }
  });

  it('runs comma-separated combinations, in the order given, once each', () => {
    assert.deepEqual(parseCli(['--config', 'p.yaml', '--target', 'querier,query-frontend']),
      { name: 'run', config: 'p.yaml', targets: ['querier', 'query-frontend'] });
    assert.deepEqual(parseCli(['--config', 'p.yaml', '--target=distributor, ingester,distributor']),
      { name: 'run', config: 'p.yaml', targets: ['distributor', 'ingester'] });
  });

  it('refuses an empty role list or an empty role in it', () => {
    assert.throws(() => parseCli(['--config', 'p.yaml', '--target', '']), /empty role in --target ''/);
    assert.throws(() => parseCli(['--config', 'p.yaml', '--target', 'querier,']), /empty role in --target 'querier,'/);
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
    assert.throws(() => parseCli(['--config', 'p.yaml', '--target', 'ingestor']),
      /unknown target 'ingestor' \(available: all, distributor, ingester, querier, query-frontend, compactor\)/);
    assert.throws(() => parseCli(['--config', 'p.yaml', '--target', 'querier,frontend']), /unknown target 'frontend'/);
    assert.throws(() => parseCli(['serve', '--config', 'p.yaml']), /unexpected argument 'serve'/);
    assert.throws(() => parseCli(['--config', 'p.yaml', '--verbose']), ConfigError);
  });
});
