import type { ErrorObject } from 'ajv';
import { BYTES_PATTERN, DURATION_PATTERN } from './units.ts';
import type { Finding, PathSegment } from './yaml-locator.ts';

/** Turns ajv errors into findings under `prefix`: readable messages, pointing at the right node. */
export function ajvFindings(errors: readonly ErrorObject[], prefix: readonly PathSegment[]): Finding[] {
  const out: Finding[] = [];
  for (const e of errors) {
    // Compound keywords only repeat what their branches already said.
    if (e.keyword === 'if' || (e.keyword === 'anyOf' && errors.length > 1)) continue;
    const path = [...prefix, ...pointerSegments(e.instancePath)];
    const finding = describe(e, path);
    if (!out.some((f) => f.message === finding.message && samePath(f.path, finding.path))) out.push(finding);
  }
  return out;
}

function describe(e: ErrorObject, path: PathSegment[]): Finding {
  const p = e.params as Record<string, unknown>;
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const known = Object.keys((parent.properties ?? {}) as object);
      const hint = known.length > 0 ? ` (expected one of: ${known.join(', ')})` : '';
      return { path: [...path, String(p.additionalProperty)], at: 'key', message: `unknown key '${String(p.additionalProperty)}'${hint}` };
    }
    case 'required':
      return { path: [...path, String(p.missingProperty)], at: 'parent', message: `missing required key '${String(p.missingProperty)}'` };
    case 'type':
      return { path, at: 'value', message: `must be ${typeList(p.type)}, got ${show(e.data)}` };
    case 'enum':
      return { path, at: 'value', message: `must be one of ${(p.allowedValues as unknown[]).map(show).join(', ')}, got ${show(e.data)}` };
    case 'minLength':
      if (p.limit === 1) return { path, at: 'value', message: 'must not be empty' };
      return { path, at: 'value', message: `${e.message ?? 'is too short'}, got ${show(e.data)}` };
    case 'pattern':
    case 'minimum':
    case 'maximum':
      return { path, at: 'value', message: unitMessage(parent.pattern, e.data) ?? `${patternMessage(e, parent)}, got ${show(e.data)}` };
    default:
      return { path, at: 'value', message: `${e.message ?? 'is invalid'}${e.data === undefined || typeof e.data === 'object' ? '' : `, got ${show(e.data)}`}` };
  }
}

function unitMessage(pattern: unknown, data: unknown): string | undefined {
  if (pattern === DURATION_PATTERN) {
    return typeof data === 'number'
      ? `a duration needs a unit, like '${data}ms' or '${data}s' (a bare number would mean nanoseconds)`
      : `invalid duration ${show(data)}: use a number with a unit (ns, us, ms, s, m, h), like 200ms, 5s, 1m30s`;
  }
  if (pattern === BYTES_PATTERN) {
    return `invalid byte size ${show(data)}: use a whole number of bytes or a size like 512KiB, 100MiB, 1GB`;
  }
  return undefined;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'a mapping', array: 'a list', null: 'empty', integer: 'an integer',
};

/** A schema's `description` names what a pattern wants better than the pattern does. */
function patternMessage(e: ErrorObject, parent: Record<string, unknown>): string {
  if (e.keyword === 'pattern' && typeof parent.description === 'string') return `must be ${parent.description}`;
  return e.message ?? 'is invalid';
}

function typeList(t: unknown): string {
  const types = Array.isArray(t) ? t : String(t).split(',');
  const names = types.map((x: string) => TYPE_NAMES[x] ?? `a ${x}`);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}`;
}

/** A value as it would read in YAML. */
export function show(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `'${v}'`;
  return String(v);
}

/** `/a/b~1c/0` → ['a', 'b/c', 0]. */
export function pointerSegments(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => {
    const seg = s.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^(0|[1-9][0-9]*)$/.test(seg) ? Number(seg) : seg;
  });
}

function samePath(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}
