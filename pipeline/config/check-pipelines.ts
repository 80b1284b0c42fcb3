import type { ComponentKind } from '../component.ts';
import { isPlainObject } from './deep-merge.ts';
import type { PipelineConfig } from './service-config.ts';
import type { Finding, PathSegment } from './yaml-locator.ts';

const LISTS = [['receivers', 'receiver'], ['processors', 'processor'], ['exporters', 'exporter']] as const;
const SECTION_KIND: Readonly<Record<string, string>> = {
  receivers: 'receiver', processors: 'processor', exporters: 'exporter', extensions: 'extension', connectors: 'connector',
};
const OTHER_SIGNALS = new Set(['metrics', 'logs', 'profiles']);

export interface PipelineCheck {
  readonly findings: Finding[];
  readonly pipelines: Record<string, PipelineConfig>;
  readonly extensions: string[];
}

/** service.pipelines and service.extensions: signal names, and references to declared components. */
export function checkPipelines(raw: Record<string, unknown>): PipelineCheck {
  const out: PipelineCheck = { findings: [], pipelines: {}, extensions: [] };
  const connectors = raw.connectors;
  if (isPlainObject(connectors) && Object.keys(connectors).length > 0) {
    out.findings.push({ path: ['connectors'], at: 'key', message: 'connectors are not supported' });
  }
  const service = isPlainObject(raw.service) ? raw.service : {};
  out.extensions.push(...stringList(service.extensions));
  out.findings.push(...checkRefs(raw, { path: ['service', 'extensions'], section: 'extensions', items: service.extensions }));
  const pipelines = service.pipelines;
  if (!isPlainObject(pipelines)) return out;
  if (Object.keys(pipelines).length === 0) {
    out.findings.push({ path: ['service', 'pipelines'], at: 'key', message: "no pipelines: define at least one, like 'traces'" });
  }
  for (const [id, body] of Object.entries(pipelines)) {
    const path = ['service', 'pipelines', id];
    const signalProblem = checkPipelineId(id);
    if (signalProblem !== undefined) {
      out.findings.push({ path, at: 'key', message: signalProblem });
      continue;
    }
    const lists = isPlainObject(body) ? body : {};
    const p = {
      id, receivers: stringList(lists.receivers), processors: stringList(lists.processors), exporters: stringList(lists.exporters),
    };
    for (const [list, kind] of LISTS) {
      out.findings.push(...checkRefs(raw, { path: [...path, list], section: list, items: lists[list] }));
      if (list !== 'processors' && p[list].length === 0) {
        out.findings.push({ path, at: 'key', message: `pipeline must have at least one ${kind}` });
      }
    }
    out.pipelines[id] = p;
  }
  return out;
}

function checkPipelineId(id: string): string | undefined {
  const slash = id.indexOf('/');
  const signal = slash < 0 ? id : id.slice(0, slash);
  if (signal === 'traces') return slash < 0 || id.length > slash + 1 ? undefined : `pipeline id '${id}' needs a name after '/'`;
  if (OTHER_SIGNALS.has(signal)) return `only traces pipelines are supported, not ${signal}`;
  return `unknown pipeline type '${signal}': pipeline ids are 'traces' or 'traces/<name>'`;
}

interface RefList {
  readonly path: readonly PathSegment[];
  readonly section: string;
  /** The list as written; items that are not strings were reported by the top-level schema. */
  readonly items: unknown;
}

function checkRefs(raw: Record<string, unknown>, refs: RefList): Finding[] {
  const findings: Finding[] = [];
  const kind = SECTION_KIND[refs.section]! as ComponentKind;
  const items = Array.isArray(refs.items) ? refs.items : [];
  items.forEach((id: unknown, i) => {
    if (typeof id !== 'string') return;
    const path = [...refs.path, i];
    if (items.indexOf(id) !== i) {
      findings.push({ path, at: 'value', message: `${kind} '${id}' is listed more than once` });
    } else if (!declared(raw, refs.section, id)) {
      const elsewhere = Object.keys(SECTION_KIND).filter((s) => s !== refs.section && declared(raw, s, id));
      const hint = elsewhere.length > 0 ? ` (it is defined under ${elsewhere.join(', ')})` : '';
      findings.push({ path, at: 'value', message: `${kind} '${id}' is not defined under ${refs.section}${hint}` });
    }
  });
  return findings;
}

function declared(raw: Record<string, unknown>, section: string, id: string): boolean {
  const s = raw[section];
  return isPlainObject(s) && Object.hasOwn(s, id);
}

/** Strings only: other items were reported by the top-level schema. */
function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
