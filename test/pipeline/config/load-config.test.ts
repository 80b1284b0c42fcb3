import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { formatProblem } from '../../../pipeline/config/config-problem.ts';
import { InvalidConfigError } from '../../../pipeline/config/invalid-config-error.ts';
import { loadConfig, parseConfig } from '../../../pipeline/config/load-config.ts';
import { ConfigError } from '../../../pipeline/errors.ts';
import { fakeFactories, newJournal } from '../service/fake-factories.ts';

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const factories = fakeFactories(newJournal());

/** The report lines loadConfig throws for `text`, with the file called `p.yaml`. */
function report(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(text, 'p.yaml', { env, factories });
  } catch (err) {
    if (!(err instanceof InvalidConfigError)) throw err;
    return err.problems.map(formatProblem);
  }
  assert.fail('expected the config to be refused');
}

const MINIMAL_SERVICE = `service:
  pipelines:
    traces: { receivers: [fakerx], exporters: [fakestore] }
`;

describe('loadConfig', () => {
  it('merges each component body over its defaults and keeps pipelines as written', () => {
    const env = { PORT: '4000', DATA_DIR: '/var/tl', TAG: '42' };
    const config = loadConfig(fixture('valid.yaml'), { env, factories });
    assert.deepEqual(config.receivers['fakerx/2']?.config, { endpoint: 'localhost:4317', fail_start: false });
    assert.deepEqual(config.exporters.fakestore?.config, {
      fail_start: false,
      reject: false,
      server: { http_listen_port: 4000 },
      ingester: { trace_idle_period: '5s', max_block_bytes: '512KiB', max_traces: 0, min_traces: 0 },
      storage: { backend: 'local', path: '/var/tl/blocks' },
      tenants: [],
    });
    assert.deepEqual(config.service.pipelines['traces/2'], {
      id: 'traces/2', receivers: ['fakerx', 'fakerx/2'], processors: [], exporters: ['fakestore', 'fakestore/2'],
    });
    assert.deepEqual(config.service.telemetry, { logs: { level: 'debug' }, metrics: { level: 'normal' } });
  });

  it('substitutes ${env:VAR}, ${env:VAR:-default} and $$, with an unset variable as an empty string', () => {
    const config = loadConfig(fixture('valid.yaml'), { env: { PORT: '1', DATA_DIR: '/d' }, factories });
    assert.equal((config.receivers.fakerx?.config as { endpoint: string }).endpoint, '0.0.0.0:4317');
    assert.equal((config.processors.fakeproc?.config as { tag: string }).tag, '${literal}');
    assert.equal((config.exporters['fakestore/2']?.config as { storage: { path: string } }).storage.path, '');
    assert.equal((config.processors['fakeproc/env']?.config as { tag: string }).tag, '');
  });

  it('gives a whole-scalar env value its YAML type, but keeps the string where the field wants one', () => {
    const config = loadConfig(fixture('valid.yaml'), { env: { PORT: '4000', DATA_DIR: '/d', TAG: '42' }, factories });
    assert.equal((config.exporters.fakestore?.config as { server: { http_listen_port: unknown } }).server.http_listen_port, 4000);
    assert.equal((config.processors['fakeproc/env']?.config as { tag: unknown }).tag, '42');
  });

  it('reports a typed env value that does not fit its field at the reference', () => {
    const text = `receivers: { fakerx: }\nexporters:\n  fakestore:\n    server:\n      http_listen_port: \${env:PORT}\n${MINIMAL_SERVICE}`;
    assert.deepEqual(report(text, { PORT: 'true' }), [
      'p.yaml:5:25 exporters.fakestore.server.http_listen_port: must be an integer, got true',
    ]);
  });

  it('reports every kind of problem at once, each located, in file order', () => {
    let err: unknown;
    try {
      loadConfig(fixture('many-problems.yaml'), { env: { MIN_TRACES: '9' }, factories });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof InvalidConfigError);
    assert.ok(err instanceof ConfigError);
    const f = fixture('many-problems.yaml');
    assert.deepEqual(err.problems.map(formatProblem), [
      `${f}:4:5 receivers.fakerx.colour: unknown key 'colour' (expected one of: endpoint, fail_start, fail_shutdown)`,
      `${f}:6:15 receivers.fakerx/2.endpoint: must not be empty`,
      `${f}:7:3 receivers.zipkin: unknown receiver type 'zipkin' (known receiver types: fakerx)`,
      `${f}:8:3 receivers.bad id: invalid component id 'bad id': expected 'type' or 'type/name'`,
      `${f}:11:10 processors.fakeproc.tag: must be a string, got 7`,
      `${f}:15:25 exporters.fakestore.server.http_listen_port: must be <= 65535, got 70000`,
      `${f}:17:26 exporters.fakestore.ingester.trace_idle_period: a duration needs a unit, like '200ms' or '200s' (a bare number would mean nanoseconds)`,
      `${f}:18:24 exporters.fakestore.ingester.max_block_bytes: invalid byte size 'lots': use a whole number of bytes or a size like 512KiB, 100MiB, 1GB`,
      `${f}:20:16 exporters.fakestore.storage.backend: must be one of 'local', 's3', got 'gcs'`,
      `${f}:25:7 exporters.fakestore/2.ingester.min_traces: must not exceed ingester.max_traces`,
      `${f}:29:24 exporters.fakestore/3.ingester.max_block_bytes: unsupported config source 'file' in '\${file:/etc/size}' (only env is supported)`,
      `${f}:32:9 exporters.fakestore/3.tenants[1].id: missing required key 'id'`,
      `${f}:33:1 connectors: connectors are not supported`,
      `${f}:38:14 service.telemetry.logs.level: must be one of 'trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent', got 'chatty'`,
      `${f}:41:27 service.pipelines.traces.receivers[1]: receiver 'fakerx' is listed more than once`,
      `${f}:41:35 service.pipelines.traces.receivers[2]: receiver 'nope' is not defined under receivers`,
      `${f}:43:30 service.pipelines.traces.exporters[1]: exporter 'fakerx/2' is not defined under exporters (it is defined under receivers)`,
      `${f}:44:5 service.pipelines.traces/empty: pipeline must have at least one receiver`,
      `${f}:44:5 service.pipelines.traces/empty: pipeline must have at least one exporter`,
      `${f}:46:5 service.pipelines.metrics: only traces pipelines are supported, not metrics`,
      `${f}:49:5 service.pipelines.spans: unknown pipeline type 'spans': pipeline ids are 'traces' or 'traces/<name>'`,
      `${f}:52:3 service.extras: unknown key 'extras' (expected one of: extensions, pipelines, telemetry)`,
    ]);
  });

  it('locates YAML syntax errors and reports them all', () => {
    const f = fixture('syntax-error.yaml');
    assert.throws(() => loadConfig(f, { env: {}, factories }), (err: unknown) => {
      assert.ok(err instanceof InvalidConfigError);
      assert.deepEqual(err.problems.map(formatProblem), [
        `${f}:4:1 Flow sequence in block collection must be sufficiently indented and end with a ]`,
        `${f}:6:3 Map keys must be unique`,
      ]);
      return true;
    });
  });

  it('points a missing required top-level key at the document and an unknown one at its key', () => {
    assert.deepEqual(report('receivers: {}\nextensions_typo: 1\n'), [
      "p.yaml:1:1 service: missing required key 'service'",
      "p.yaml:2:1 extensions_typo: unknown key 'extensions_typo' (expected one of: receivers, processors, exporters, extensions, connectors, service)",
    ]);
  });

  it('refuses an empty file and a file it cannot read', () => {
    assert.deepEqual(report('# nothing yet\n'), ['p.yaml:1:1 the file is empty: expected receivers, exporters and service.pipelines']);
    assert.throws(() => loadConfig(fixture('no-such-file.yaml'), { env: {}, factories }), (err: unknown) =>
      err instanceof ConfigError && !(err instanceof InvalidConfigError) && /cannot read .*no-such-file\.yaml/.test(err.message));
  });

  it('reports a component body that is not a mapping, and pipelines without any', () => {
    assert.deepEqual(report('receivers:\n  fakerx: 5\nservice:\n  pipelines: {}\n'), [
      'p.yaml:2:11 receivers.fakerx: must be a mapping or empty, got 5',
      "p.yaml:4:3 service.pipelines: no pipelines: define at least one, like 'traces'",
    ]);
  });

  it('checks service.extensions against the extensions section and names the available types', () => {
    assert.deepEqual(report(`receivers: { fakerx: }\nexporters: { fakestore: }\nextensions:\n  health_check:\n${MINIMAL_SERVICE}  extensions: [health_check, pprof]\n`), [
      "p.yaml:4:3 extensions.health_check: unknown extension type 'health_check' (known extension types: fakewatch)",
      "p.yaml:8:30 service.extensions[1]: extension 'pprof' is not defined under extensions",
    ]);
  });

  it('returns a deeply frozen config', () => {
    const config = loadConfig(fixture('valid.yaml'), { env: { PORT: '1' }, factories });
    const store = config.exporters.fakestore?.config as { server: { http_listen_port: number } };
    assert.ok(Object.isFrozen(config.service.pipelines.traces?.receivers));
    assert.throws(() => {
      store.server.http_listen_port = 2;
    }, TypeError);
  });
});

describe('loadConfig env references', () => {
  it('explains references it cannot expand, at the value', () => {
    const text = `receivers:\n  fakerx:\n    endpoint: \${HOST}:4317\nexporters:\n  fakestore:\n    storage:\n      path: \${env:bad-name}\n${MINIMAL_SERVICE}`;
    assert.deepEqual(report(text), [
      "p.yaml:3:15 receivers.fakerx.endpoint: '${HOST}' is not a reference: write '${env:HOST}', or '$$' for a literal '$'",
      "p.yaml:7:13 exporters.fakestore.storage.path: invalid environment variable name in '${env:bad-name}'",
    ]);
  });
});

describe('loadConfig service.telemetry', () => {
  it('defaults to info logs and no metrics address, and checks the address form', () => {
    const base = `receivers: { fakerx: }\nexporters: { fakestore: }\n${MINIMAL_SERVICE}`;
    assert.deepEqual(parseConfig(base, 'p.yaml', { env: {}, factories }).service.telemetry, { logs: { level: 'info' }, metrics: { level: 'normal' } });
    const withAddress = `${base}  telemetry:\n    metrics:\n      address: \${env:METRICS:-:8888}\n`;
    assert.equal(parseConfig(withAddress, 'p.yaml', { env: {}, factories }).service.telemetry.metrics.address, ':8888');
    assert.deepEqual(report(withAddress, { METRICS: 'localhost' }), [
      "p.yaml:8:16 service.telemetry.metrics.address: must be host:port, got 'localhost'",
    ]);
  });
});

describe('loadConfig mergeConfig hook', () => {
  it('lets a factory merge its own defaults when it defines mergeConfig', () => {
    const [rx, proc, store] = fakeFactories(newJournal());
    const onlyWritten = Object.freeze({
      ...store!,
      mergeConfig(defaults: unknown, user: unknown) {
        const merged: Record<string, unknown> = { ...(defaults as object), ...(user as object) };
        delete merged.server; // as the OTLP receiver drops a protocol the user left out
        return merged;
      },
    });
    const text = `receivers: { fakerx: }\nexporters:\n  fakestore:\n    storage: { backend: s3, path: b }\n${MINIMAL_SERVICE}`;
    const config = parseConfig(text, 'p.yaml', { env: {}, factories: [rx!, proc!, onlyWritten] });
    const merged = config.exporters.fakestore?.config as Record<string, unknown>;
    assert.equal('server' in merged, false);
    assert.deepEqual(merged.storage, { backend: 's3', path: 'b' });
  });
});
