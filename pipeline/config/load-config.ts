import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { Factory } from '../component.ts';
import { ConfigError } from '../errors.ts';
import { ajvFindings } from './ajv-findings.ts';
import { checkComponents } from './check-components.ts';
import { checkPipelines } from './check-pipelines.ts';
import { sortProblems, type ConfigProblem } from './config-problem.ts';
import { deepFreeze } from './deep-freeze.ts';
import { isPlainObject } from './deep-merge.ts';
import { substituteEnv, type Env } from './env-substitution.ts';
import { InvalidConfigError } from './invalid-config-error.ts';
import { schemaErrors } from './schema-validator.ts';
import type { ServiceConfig, TelemetryConfig } from './service-config.ts';
import { topLevelSchema } from './top-level-schema.ts';
import { formatPath, YamlLocator, type Finding } from './yaml-locator.ts';

export interface LoadOptions {
  /** Values for `${env:…}`; the CLI passes process.env. */
  readonly env: Env;
  readonly factories: readonly Factory[];
}

/** Reads, validates and freezes a pipelines.yaml; throws InvalidConfigError listing every problem. */
export function loadConfig(file: string, options: LoadOptions): ServiceConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  return parseConfig(text, file, options);
}

/** As loadConfig, for text already in memory; `file` only names it in problems. */
export function parseConfig(text: string, file: string, options: LoadOptions): ServiceConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const locator = new YamlLocator(doc, lines);
  if (doc.errors.length > 0) {
    throw new InvalidConfigError(sortProblems(doc.errors.map((e) => {
      const { line, col } = locator.position(e.pos[0]);
      return { file, line, col, path: '', message: e.message };
    })));
  }
  const substitution = substituteEnv(doc, options.env);
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) {
    throw new InvalidConfigError([{ file, line: 1, col: 1, path: '', message: 'the file is empty: expected receivers, exporters and service.pipelines' }]);
  }
  const findings: Finding[] = [...substitution.findings, ...ajvFindings(schemaErrors(topLevelSchema, raw, 'the top-level schema'), [])];
  if (!isPlainObject(raw)) throw problemsError(findings, file, locator);
  const components = checkComponents(raw, { factories: options.factories, typed: substitution.typed });
  const pipelines = checkPipelines(raw);
  findings.push(...components.findings, ...pipelines.findings);
  if (findings.length > 0) throw problemsError(withoutEchoes(findings, substitution.findings), file, locator);
  return deepFreeze({
    file,
    ...components.components,
    service: { extensions: pipelines.extensions, pipelines: pipelines.pipelines, telemetry: telemetry(raw) },
  });
}

/** A value with a bad `${…}` reference is not also reported for what the reference left in it. */
function withoutEchoes(findings: readonly Finding[], envFindings: readonly Finding[]): Finding[] {
  const bad = new Set(envFindings.map((f) => formatPath(f.path)));
  return findings.filter((f) => envFindings.includes(f) || !bad.has(formatPath(f.path)));
}

function problemsError(findings: readonly Finding[], file: string, locator: YamlLocator): InvalidConfigError {
  const problems: ConfigProblem[] = findings.map((f) => ({
    file, ...locator.locate(f.path, f.at), path: formatPath(f.path), message: f.message,
  }));
  return new InvalidConfigError(sortProblems(problems));
}

function telemetry(raw: Record<string, unknown>): TelemetryConfig {
  const service = raw.service as { telemetry?: { logs?: { level?: string }; metrics?: { level?: string; address?: string } } | null };
  const logs = service.telemetry?.logs;
  const metrics = service.telemetry?.metrics;
  return {
    logs: { level: (logs?.level ?? 'info') as TelemetryConfig['logs']['level'] },
    metrics: {
      level: (metrics?.level ?? 'normal') as TelemetryConfig['metrics']['level'],
      ...(metrics?.address === undefined ? {} : { address: metrics.address }),
    },
  };
}
