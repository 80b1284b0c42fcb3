#!/usr/bin/env node
import v8 from 'node:v8';
import { destination, pino } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { BuildInfo } from '../pipeline/component.ts';
import { formatProblem } from '../pipeline/config/config-problem.ts';
import { InvalidConfigError } from '../pipeline/config/invalid-config-error.ts';
import { loadConfig } from '../pipeline/config/load-config.ts';
import type { ServiceConfig } from '../pipeline/config/service-config.ts';
import { ConfigError } from '../pipeline/errors.ts';
import { createService } from '../pipeline/service/service.ts';
import { readBuildInfo } from './build-info.ts';
import { parseCli, USAGE, type Command } from './cli-args.ts';
import { components } from './components.ts';

type Env = Readonly<Record<string, string | undefined>>;

// TraceQL regexes (=~, !~) come from users: V8's linear-time engine runs them as RE2 would, so a pattern
// like `(a+)+b` cannot stall the process (backend/traceql/regex.ts). Node refuses this flag in NODE_OPTIONS.
v8.setFlagsFromString('--enable-experimental-regexp-engine');

/** The only place that reads argv and the environment, and the only writer to stdout/stderr besides pino. */
async function main(argv: readonly string[], env: Env): Promise<number> {
  let command: Command;
  try {
    command = parseCli(argv);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`tracelake: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  const build = readBuildInfo();
  switch (command.name) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'version':
      process.stdout.write(`tracelake ${build.version} (revision ${build.revision}, node ${build.goVersion})\n`);
      return 0;
    case 'validate': {
      const config = load(command.config, env);
      if (config !== undefined) process.stdout.write(`${command.config}: valid\n`);
      return config === undefined ? 1 : 0;
    }
    case 'run': {
      const config = load(command.config, env);
      return config === undefined ? 1 : run(config, build, command.targets);
    }
  }
}

/** The validated config, or undefined after printing every problem on stderr. */
function load(file: string, env: Env): ServiceConfig | undefined {
  try {
    return loadConfig(file, { env, factories: components });
  } catch (err) {
    if (err instanceof InvalidConfigError) {
      for (const p of err.problems) process.stderr.write(`${formatProblem(p)}\n`);
    } else if (err instanceof ConfigError) {
      process.stderr.write(`tracelake: ${err.message}\n`);
    } else {
      throw err;
    }
    return undefined;
  }
}

/** Runs until SIGTERM/SIGINT, then drains; a second signal exits at once. Resolves to the exit code. */
function run(config: ServiceConfig, build: BuildInfo, targets: readonly string[]): Promise<number> {
  // Synchronous: lines are few (lifecycle, never per span), and none is lost to a crash or process.exit.
  const logger = pino({ level: config.service.telemetry.logs.level }, destination({ dest: 1, sync: true }));
  const metrics = new Registry();
  if (config.service.telemetry.metrics.level !== 'none') collectDefaultMetrics({ register: metrics });
  logger.info({ config: config.file, targets, version: build.version, revision: build.revision }, 'tracelake starting');
  let service;
  try {
    service = createService(config, { factories: components, logger, metrics, build, targets });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    logger.error({ err }, 'start failed');
    return Promise.resolve(1);
  }
  return new Promise((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (++signals > 1) {
        logger.warn({ signal }, 'second signal, exiting without draining');
        resolve(1);
        return;
      }
      logger.info({ signal }, 'shutting down');
      service.shutdown().then(
        () => resolve(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    service.start().catch((err: unknown) => {
      logger.error({ err }, 'start failed');
      resolve(1);
    });
  });
}

// Exit explicitly: a library handle left open (a socket, a timer) must not keep a stopped server alive.
process.exit(await main(process.argv.slice(2), process.env));
