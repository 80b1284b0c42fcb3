import { removeS3Prefix, requireS3Server, uniqueS3Prefix } from '../../backend/storage/s3-test-server.ts';
import { makeTempDir, removeDir, type TracelakeProcess } from '../tracelake-process.ts';
import { BucketView } from './bucket-view.ts';
import type { Backend } from './storage-config.ts';

/** What one test of a storage suite works in; fresh for each test, everything removed after it. */
export interface StorageRun {
  readonly dir: string;
  readonly backend: Backend;
  /** Processes to kill after the test. */
  readonly procs: TracelakeProcess[];
  /** A view of the blocks (folder or bucket prefix), closed after the test. */
  openView(blocksDir: string): BucketView;
}

/**
 * Registers beforeEach/afterEach for one storage backend: a temp folder, for S3 a unique key prefix on the
 * real server (which must answer), and afterwards every process killed and every object and file removed.
 */
export function storageRun(kind: Backend['kind'], name: string): StorageRun {
  const state = { dir: '', backend: { kind: 'local' } as Backend, procs: [] as TracelakeProcess[], views: [] as BucketView[] };
  beforeEach(async () => {
    state.dir = await makeTempDir(`tracelake-${name}-`);
    if (kind === 's3') await requireS3Server();
    state.backend = kind === 's3' ? { kind, prefix: uniqueS3Prefix(name) } : { kind };
  });
  afterEach(async () => {
    for (const p of state.procs.splice(0)) await p.stop('SIGKILL');
    for (const v of state.views.splice(0)) v.close();
    if (state.backend.kind === 's3') await removeS3Prefix(state.backend.prefix);
    await removeDir(state.dir);
  });
  return {
    get dir() { return state.dir; },
    get backend() { return state.backend; },
    get procs() { return state.procs; },
    openView(blocksDir) {
      const view = new BucketView(state.backend, blocksDir);
      state.views.push(view);
      return view;
    },
  };
}
