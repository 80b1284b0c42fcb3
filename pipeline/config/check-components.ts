import type { ErrorObject } from 'ajv';
import type { ComponentKind, Factory } from '../component.ts';
import { ajvFindings, pointerSegments } from './ajv-findings.ts';
import { parseComponentId } from './component-id.ts';
import { deepMerge, isPlainObject } from './deep-merge.ts';
import { findFactory, knownTypes } from './find-factory.ts';
import { schemaErrors } from './schema-validator.ts';
import type { ComponentConfig } from './service-config.ts';
import { formatPath, type Finding, type PathSegment } from './yaml-locator.ts';

export const SECTIONS = [
  ['receivers', 'receiver'], ['processors', 'processor'], ['exporters', 'exporter'], ['extensions', 'extension'],
] as const satisfies ReadonlyArray<readonly [string, ComponentKind]>;

export type Section = (typeof SECTIONS)[number][0];

export interface ComponentCheck {
  readonly findings: Finding[];
  readonly components: Record<Section, Record<string, ComponentConfig>>;
}

export interface ComponentCheckOptions {
  readonly factories: readonly Factory[];
  /** From env substitution: values that took a YAML type, with their string form. */
  readonly typed: ReadonlyMap<string, string>;
}

/** Every component of every section: known type, defaults merged, own schema, own cross-field checks. */
export function checkComponents(raw: Record<string, unknown>, options: ComponentCheckOptions): ComponentCheck {
  const out: ComponentCheck = { findings: [], components: { receivers: {}, processors: {}, exporters: {}, extensions: {} } };
  for (const [section, kind] of SECTIONS) {
    const bodies = raw[section];
    if (!isPlainObject(bodies)) continue;
    for (const [id, body] of Object.entries(bodies)) {
      const checked = checkComponent({ section, kind, id, body }, options, out.findings);
      if (checked !== undefined) out.components[section][id] = checked;
    }
  }
  return out;
}

interface Declared {
  readonly section: Section;
  readonly kind: ComponentKind;
  readonly id: string;
  readonly body: unknown;
}

function checkComponent(c: Declared, options: ComponentCheckOptions, findings: Finding[]): ComponentConfig | undefined {
  const at: PathSegment[] = [c.section, c.id];
  const parsed = parseComponentId(c.id);
  if (parsed === undefined) {
    findings.push({ path: at, at: 'key', message: `invalid component id '${c.id}': expected 'type' or 'type/name'` });
    return undefined;
  }
  const factory = findFactory(options.factories, c.kind, parsed.type);
  if (factory === undefined) {
    findings.push({ path: at, at: 'key', message: unknownType(c.kind, parsed.type, options.factories) });
    return undefined;
  }
  if (c.body !== null && !isPlainObject(c.body)) return undefined; // the top-level schema reported it
  const config = mergeWithDefaults(factory, c.body);
  const owner = `${c.kind} factory '${factory.type}'`;
  let errors = schemaErrors(factory.configSchema, config, owner);
  if (restoreEnvStrings(errors, config, at, options.typed)) errors = schemaErrors(factory.configSchema, config, owner);
  findings.push(...ajvFindings(errors, at));
  if (errors.length === 0 && factory.validate !== undefined) {
    findings.push(...factory.validate(config).map((m) => validateFinding(m, config, at)));
  }
  return { kind: c.kind, id: c.id, type: parsed.type, config };
}

/** Optional factory hook (not yet in the Factory contract) for merges a generic deep merge cannot express. */
interface MergeHook {
  mergeConfig?(defaults: unknown, user: unknown): unknown;
}

function mergeWithDefaults(factory: Factory & MergeHook, body: unknown): unknown {
  const defaults = factory.createDefaultConfig();
  return factory.mergeConfig !== undefined ? factory.mergeConfig(defaults, body) : deepMerge(defaults, body);
}

function unknownType(kind: ComponentKind, type: string, factories: readonly Factory[]): string {
  const known = knownTypes(factories, kind);
  const list = known.length > 0 ? `known ${kind} types: ${known.join(', ')}` : `no ${kind} types are available`;
  return `unknown ${kind} type '${type}' (${list})`;
}

/**
 * Where a string field got an env value that looked like a number or boolean, use the string form instead:
 * the Collector keeps both and picks by the field's type.
 */
function restoreEnvStrings(
  errors: readonly ErrorObject[], config: unknown, at: readonly PathSegment[], typed: ReadonlyMap<string, string>,
): boolean {
  let changed = false;
  for (const e of errors) {
    const types = ([] as unknown[]).concat((e.params as { type?: unknown }).type ?? []);
    if (e.keyword !== 'type' || !types.includes('string') || e.instancePath === '') continue;
    const segs = pointerSegments(e.instancePath);
    const text = typed.get(formatPath([...at, ...segs]));
    if (text === undefined) continue;
    let parent = config as Record<PathSegment, unknown>;
    for (const s of segs.slice(0, -1)) parent = parent[s] as Record<PathSegment, unknown>;
    parent[segs.at(-1)!] = text;
    changed = true;
  }
  return changed;
}

const LEADING_PATH = /^([a-z0-9_]+(?:\.[a-z0-9_]+)*): (.+)$/s;

/** A validate() message may start with `key.path: ` to point at that key. */
function validateFinding(message: string, config: unknown, at: readonly PathSegment[]): Finding {
  const m = LEADING_PATH.exec(message);
  if (m !== null) {
    const keys = m[1]!.split('.');
    let node: unknown = config;
    for (const k of keys) node = isPlainObject(node) && k in node ? node[k] : undefined;
    if (node !== undefined) return { path: [...at, ...keys], at: 'key', message: m[2]! };
  }
  return { path: at, at: 'key', message };
}
