import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What the local backend left on disk: `<path>/<tenant>/<blockID>/{meta.json,data,index,bloom-N}`. */

export interface FileInfo { readonly path: string; readonly size: number }

/** Every file under `dir` with its size; empty when `dir` does not exist. */
export async function filesUnder(dir: string): Promise<FileInfo[]> {
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files: FileInfo[] = [];
  for (const entry of entries) {
    const path = join(dir, entry);
    const s = await stat(path).catch(() => undefined); // a block may be deleted or renamed while we list
    if (s?.isFile()) files.push({ path, size: s.size });
  }
  return files;
}

/** Paths of every meta.json under the blocks folder: one per complete block. */
export async function blockMetas(blocksDir: string): Promise<string[]> {
  return (await filesUnder(blocksDir)).map((f) => f.path).filter((p) => p.endsWith('/meta.json'));
}
