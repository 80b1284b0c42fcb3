import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { NotFoundError, PermanentError, RetryableError, TracelakeError } from '../../pipeline/errors.ts';
import { checkKey, checkPrefix, folderPrefix } from './object-key.ts';
import type { ObjectStore } from './object-store.ts';

/** Suffix of files being written; they are never listed, and keys may not end with it. */
const TEMP_SUFFIX = '.tl-tmp';

/** An ObjectStore over a local folder: one file per key, written to a temp file then renamed. */
export class LocalObjectStore implements ObjectStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    // A concurrent delete may remove the freshly made parent folder: make it again and retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await mkdir(dirname(path), { recursive: true });
        await writeAtomically(path, data);
        return;
      } catch (err) {
        if (code(err) !== 'ENOENT' || attempt === 2) rethrowWrite(err, key);
      }
    }
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      const buf = await readFile(this.pathOf(key));
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (err) {
      return rethrow(err, key);
    }
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new PermanentError(`invalid range ${offset}+${length} of object ${key}`);
    }
    const path = this.pathOf(key);
    const file = await open(path, 'r').catch((err: unknown) => rethrow(err, key));
    try {
      const { size } = await file.stat();
      if (offset + length > size) {
        throw new PermanentError(`range ${offset}+${length} is past the end of object ${key} (${size} bytes)`);
      }
      const out = new Uint8Array(length);
      for (let done = 0; done < length; ) {
        const { bytesRead } = await file.read(out, done, length - done, offset + done);
        if (bytesRead === 0) throw new PermanentError(`object ${key} shrank while being read`);
        done += bytesRead;
      }
      return out;
    } finally {
      await file.close();
    }
  }

  async list(prefix: string): Promise<string[]> {
    checkPrefix(prefix);
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const keys: string[] = [];
    await this.walk(folder, keys);
    return keys.filter((k) => k.startsWith(prefix));
  }

  async listDirs(prefix: string): Promise<string[]> {
    checkPrefix(prefix);
    const entries = await readdirOrEmpty(join(this.root, folderPrefix(prefix)));
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await unlink(path);
    } catch (err) {
      const c = code(err);
      if (c === 'ENOENT' || c === 'ENOTDIR') return;
      if ((c === 'EISDIR' || c === 'EPERM') && (await isDirectory(path))) return;
      rethrow(err, key);
    }
    await this.removeEmptyParents(dirname(path));
  }

  private pathOf(key: string): string {
    checkKey(key);
    if (key.endsWith(TEMP_SUFFIX)) throw new PermanentError(`object key ${key} ends with the reserved ${TEMP_SUFFIX}`);
    return join(this.root, key);
  }

  private async walk(folder: string, out: string[]): Promise<void> {
    for (const entry of await readdirOrEmpty(join(this.root, folder))) {
      const key = folder + entry.name;
      if (entry.isDirectory()) await this.walk(`${key}/`, out);
      else if (entry.isFile() && !entry.name.endsWith(TEMP_SUFFIX)) out.push(key);
    }
  }

  /** Empty folders do not exist in S3; removing them keeps listDirs the same over both stores. */
  private async removeEmptyParents(dir: string): Promise<void> {
    for (let d = dir; d.startsWith(this.root + sep); d = dirname(d)) {
      try {
        await rmdir(d);
      } catch {
        return; // not empty (or already gone): nothing more to remove
      }
    }
  }
}

async function writeAtomically(path: string, data: Uint8Array): Promise<void> {
  const temp = `${dirname(path)}/.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
  const file = await open(temp, 'wx');
  try {
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
    await syncFolder(dirname(path));
  } catch (err) {
    await unlink(temp).catch(() => undefined); // best effort: the original error is what matters
    throw err;
  }
}

/** Makes the rename itself durable, not only the file's bytes. */
async function syncFolder(dir: string): Promise<void> {
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

async function readdirOrEmpty(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const c = code(err);
    if (c === 'ENOENT' || c === 'ENOTDIR') return [];
    throw err;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path)).isDirectory();
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Maps file-system errors of a read or delete of `key` to the error catalogue. */
function rethrow(err: unknown, key: string): never {
  const c = code(err);
  if (c === 'ENOENT' || c === 'ENOTDIR' || c === 'EISDIR') throw new NotFoundError(`object ${key} not found`, { cause: err });
  return rethrowOther(err, key);
}

/** Maps file-system errors of a write of `key`: a file where a folder must be, or the other way round, is permanent. */
function rethrowWrite(err: unknown, key: string): never {
  const c = code(err);
  if (c === 'ENOTDIR' || c === 'EISDIR' || c === 'EEXIST' || c === 'ENOTEMPTY') {
    throw new PermanentError(`object key ${key} conflicts with a folder or object of the same name`, { cause: err });
  }
  return rethrowOther(err, key);
}

/** Other I/O failures (disk full, permissions) are the store being unavailable, not the request being wrong. */
function rethrowOther(err: unknown, key: string): never {
  if (err instanceof TracelakeError || code(err) === undefined) throw err;
  throw new RetryableError(`object store failed on ${key}: ${(err as Error).message}`, { cause: err });
}
