import { isMap, isPair, isScalar, isSeq, parse, type Document, type Node } from 'yaml';
import { formatPath, type Finding, type PathSegment } from './yaml-locator.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Substitution {
  readonly findings: Finding[];
  /** Formatted path → string form, for scalars that were exactly one `${env:…}` and took a YAML type. */
  readonly typed: Map<string, string>;
}

const TOKEN = /\$\$|\$\{([^}]*)\}/g;
const WHOLE = /^\$\{[^}]*\}$/;
const ENV_REF = /^env:([a-zA-Z_][a-zA-Z0-9_]*)(?::-(.*))?$/s;

/**
 * Expands `${env:VAR}`, `${env:VAR:-default}` and `$$` in every scalar value, in place, so node positions
 * stay valid. A scalar that is exactly one reference takes the YAML type of what it expands to ("5" → 5),
 * as in the Collector; an unset variable without default expands to "".
 */
export function substituteEnv(doc: Document, env: Env): Substitution {
  const out: Substitution = { findings: [], typed: new Map() };
  walk(doc.contents as Node | null, [], (node, path) => {
    if (typeof node.value !== 'string' || !node.value.includes('$')) return;
    const source = node.value;
    const expanded = source.replace(TOKEN, (token, ref: string | undefined) => {
      if (ref === undefined) return '$';
      const m = ENV_REF.exec(ref);
      if (m !== null) return env[m[1]!] ?? m[2] ?? '';
      out.findings.push({ path, at: 'value', message: badReference(ref) });
      return token;
    });
    if (WHOLE.test(source) && ENV_REF.test(source.slice(2, -1))) {
      node.value = typedValue(expanded);
      if (typeof node.value !== 'string') out.typed.set(formatPath(path), expanded);
    } else {
      node.value = expanded;
    }
  });
  return out;
}

function badReference(ref: string): string {
  if (ref.startsWith('env:')) return `invalid environment variable name in '\${${ref}}'`;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(ref)?.[1];
  if (scheme !== undefined) return `unsupported config source '${scheme}' in '\${${ref}}' (only env is supported)`;
  return `'\${${ref}}' is not a reference: write '\${env:${ref}}', or '$$' for a literal '$'`;
}

/** The value a YAML scalar with this text would have (number, boolean, null), else the text itself. */
function typedValue(text: string): unknown {
  if (text === '') return '';
  try {
    const v: unknown = parse(text);
    return typeof v === 'number' || typeof v === 'boolean' || v === null ? v : text;
  } catch {
    return text; // not valid YAML on its own: it stays a string, as in the Collector
  }
}

type Visit = (node: { value: unknown }, path: PathSegment[]) => void;

function walk(node: Node | null, path: PathSegment[], visit: Visit): void {
  if (isScalar(node)) visit(node, path);
  else if (isMap(node)) {
    for (const pair of node.items) {
      if (isPair(pair) && isScalar(pair.key)) walk(pair.value as Node | null, [...path, String(pair.key.value)], visit);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => walk(item as Node | null, [...path, i], visit));
  }
}
