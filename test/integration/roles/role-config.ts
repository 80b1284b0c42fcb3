import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { embeddedConfig, freePorts, type Ports } from '../tracelake-process.ts';

export type ConfigPatch = (doc: ReturnType<typeof parseDocument>) => void;

/**
 * The embedded config for one role process of a test: fresh ports, its WAL under `dir/<name>`, blocks in the
 * shared `blocksDir` (polled every second), traces held live for 10 minutes; `patch` edits the rest.
 */
export async function roleConfig(dir: string, name: string, blocksDir: string, patch: ConfigPatch = () => undefined): Promise<{ path: string; ports: Ports }> {
  const ports = await freePorts();
  const own = join(dir, name);
  await mkdir(own, { recursive: true });
  const doc = parseDocument(embeddedConfig(ports, own, { trace_idle_period: '10m', max_block_duration: '10m' }));
  doc.setIn(['exporters', 'tracelake', 'storage', 'trace', 'local', 'path'], blocksDir);
  doc.setIn(['exporters', 'tracelake', 'storage', 'trace', 'blocklist_poll'], '1s');
  patch(doc);
  const path = join(own, 'pipelines.yaml');
  await writeFile(path, doc.toString());
  return { path, ports };
}
