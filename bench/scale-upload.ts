/** Copies the bench's blocks to another store once: meta.json files last, so a half copy is never complete. */
import type { ObjectStore } from '../backend/storage/object-store.ts';

/** Skips the copy when every meta.json of `from` is already in `to`. */
export async function uploadOnce(from: ObjectStore, to: ObjectStore, log: (line: string) => void): Promise<void> {
  const keys = (await from.list('')).sort();
  const metas = keys.filter((k) => k.endsWith('/meta.json'));
  const present = new Set(await to.list(''));
  if (metas.every((k) => present.has(k))) {
    log(`s3: reusing ${metas.length} blocks`);
    return;
  }
  const t0 = performance.now();
  let bytes = 0;
  for (const key of [...keys.filter((k) => !k.endsWith('/meta.json')), ...metas]) {
    const data = await from.get(key);
    await to.put(key, data);
    bytes += data.length;
  }
  log(`s3: uploaded ${keys.length} objects, ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
