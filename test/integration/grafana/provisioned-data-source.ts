import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * Grafana provisioning files as Grafana reads them: `$VAR` / `${VAR}` replaced from the environment in every
 * value (`$$` is a literal `$`), and the keys checked against those Grafana's provisioning and its Tempo data
 * source read (Grafana's docs "Provision Grafana" and "Provision the Tempo data source", and the data
 * source's config editor: streaming, tag limit, tags time range, TraceID query), so a misspelt key fails.
 */

/** A data source entry of `datasources:`, after substitution. */
export interface ProvisionedDataSource {
  readonly name: string;
  readonly type: string;
  readonly uid: string;
  readonly access: string;
  readonly url: string;
  readonly isDefault?: boolean;
  readonly editable?: boolean;
  readonly jsonData: TempoJsonData;
  readonly secureJsonData?: Readonly<Record<string, string>>;
}

/** The Tempo data source's `jsonData`, as far as Tracelake's examples set it. */
export interface TempoJsonData {
  readonly search?: { readonly hide?: boolean };
  readonly nodeGraph?: { readonly enabled?: boolean };
  readonly serviceMap?: { readonly datasourceUid?: string };
  readonly tracesToLogsV2?: unknown;
  readonly streamingEnabled?: { readonly search?: boolean; readonly metrics?: boolean };
  readonly tagLimit?: number;
  readonly timeRangeForTags?: number;
  readonly traceQuery?: { readonly timeShiftEnabled?: boolean; readonly spanStartTimeShift?: string; readonly spanEndTimeShift?: string };
  readonly [httpHeaderName: `httpHeaderName${number}`]: string | undefined;
}

/** Which keys an object may hold: `true` = any value; arrays are checked element by element. */
type Shape = true | { readonly keys: Readonly<Record<string, Shape>>; readonly patterns?: readonly RegExp[] };

const object = (keys: Readonly<Record<string, Shape>>, patterns?: readonly RegExp[]): Shape => ({ keys, ...(patterns === undefined ? {} : { patterns }) });

const TEMPO_JSON_DATA = object({
  // Grafana's HTTP data source settings.
  tlsAuth: true, tlsAuthWithCACert: true, tlsSkipVerify: true, serverName: true, timeout: true, keepCookies: true, oauthPassThru: true,
  // The Tempo data source's own.
  streamingEnabled: object({ search: true, metrics: true }),
  tracesToLogsV2: true, tracesToLogs: true, tracesToMetrics: true, tracesToProfiles: true,
  serviceMap: object({ datasourceUid: true }),
  nodeGraph: object({ enabled: true }),
  spanBar: object({ type: true, tag: true }),
  search: object({ hide: true, filters: true }),
  traceQuery: object({ timeShiftEnabled: true, spanStartTimeShift: true, spanEndTimeShift: true }),
  timeRangeForTags: true,
  tagLimit: true,
}, [/^httpHeaderName[1-9][0-9]*$/]);

const SECURE_JSON_DATA = object({ basicAuthPassword: true, tlsCACert: true, tlsClientCert: true, tlsClientKey: true }, [/^httpHeaderValue[1-9][0-9]*$/]);

const DATA_SOURCE = object({
  name: true, type: true, uid: true, access: true, orgId: true, url: true, user: true, database: true, basicAuth: true,
  basicAuthUser: true, withCredentials: true, isDefault: true, jsonData: TEMPO_JSON_DATA, secureJsonData: SECURE_JSON_DATA,
  version: true, editable: true,
});

/** A `provisioning/datasources/*.yaml` file. */
export const DATA_SOURCES_FILE = object({ apiVersion: true, datasources: DATA_SOURCE, deleteDatasources: true, prune: true });

/** A `provisioning/dashboards/*.yaml` file. */
export const DASHBOARD_PROVIDERS_FILE = object({
  apiVersion: true,
  providers: object({
    name: true, orgId: true, folder: true, folderUid: true, type: true, disableDeletion: true, updateIntervalSeconds: true,
    allowUiUpdates: true, options: object({ path: true, foldersFromFilesStructure: true }),
  }),
});

/** Reads a provisioning file with `env` substituted; fails listing every key Grafana would not read. */
export function readProvisioningFile(path: string, shape: Shape, env: Readonly<Record<string, string>> = {}): Record<string, unknown> {
  const doc = substitute(parse(readFileSync(path, 'utf8')), env) as Record<string, unknown>;
  const unknown = unknownKeys(doc, shape, '');
  if (unknown.length > 0) throw new Error(`${path}: keys Grafana does not read: ${unknown.join(', ')}`);
  return doc;
}

/** The data sources of a `provisioning/datasources` file. */
export function readDataSources(path: string, env: Readonly<Record<string, string>> = {}): ProvisionedDataSource[] {
  return readProvisioningFile(path, DATA_SOURCES_FILE, env).datasources as ProvisionedDataSource[];
}

/** The custom headers Grafana adds to every request: `jsonData.httpHeaderNameN` → `secureJsonData.httpHeaderValueN`. */
export function customHeaders(ds: ProvisionedDataSource): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, name] of Object.entries(ds.jsonData)) {
    const n = /^httpHeaderName([0-9]+)$/.exec(key)?.[1];
    if (n !== undefined) headers[name as string] = ds.secureJsonData?.[`httpHeaderValue${n}`] ?? '';
  }
  return headers;
}

function unknownKeys(value: unknown, shape: Shape, path: string): string[] {
  if (shape === true || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownKeys(v, shape, `${path}[${i}]`));
  return Object.entries(value).flatMap(([key, v]) => {
    const at = path === '' ? key : `${path}.${key}`;
    const inner = shape.keys[key] ?? (shape.patterns?.some((p) => p.test(key)) === true ? true : undefined);
    return inner === undefined ? [at] : unknownKeys(v, inner, at);
  });
}

function substitute(value: unknown, env: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\$|\$\{(\w+)\}|\$(\w+)/g, (all, braced?: string, bare?: string) => (all === '$$' ? '$' : env[braced ?? bare!] ?? ''));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, env));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, env)]));
  }
  return value;
}
