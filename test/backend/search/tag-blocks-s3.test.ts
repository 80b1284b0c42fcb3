import assert from 'node:assert/strict';
import { pino } from 'pino';
import { BlockList } from '../../../backend/db/block-list.ts';
import { BlockSearchSource } from '../../../backend/querier/block-search-source.ts';
import { parseTagIdentifier } from '../../../backend/search/tag-identifier.ts';
import { TagSearch } from '../../../backend/search/tag-search.ts';
import { RecordingStore } from '../block/block-fixtures.ts';
import { makeS3Store, type TestStore } from '../db/db-stores.ts';
import { scanEntries, writeScanBlock } from './scan-corpus.ts';

const logger = pino({ level: 'silent' });

describe('tag names and values from block columns over S3', () => {
  let s3: TestStore;

  before(async () => {
    s3 = await makeS3Store();
  });
  after(() => s3.dispose());

  it('answers as decoding every trace, with ranged reads of a few columns', async () => {
    const list = new BlockList();
    list.add(await writeScanBlock(s3.store, scanEntries(600, 12), '00000000-0000-0000-0000-000000000071', 'tl2', 32 * 1024));
    const recording = new RecordingStore(s3.store);
    const columns = new TagSearch({ sources: [], blocks: { list, store: recording }, logger });
    const reference = new TagSearch({ sources: [new BlockSearchSource({ blocks: list, store: s3.store })], logger });
    const scan = { filter: undefined, range: undefined };
    assert.deepEqual((await columns.tagNames('t', scan)).names, (await reference.tagNames('t', scan)).names);
    for (const id of ['resource.service.name', 'span.http.status_code', 'name', '.foo']) {
      const field = parseTagIdentifier(id);
      assert.deepEqual((await columns.tagValues('t', field, scan)).values, (await reference.tagValues('t', field, scan)).values, id);
    }
    assert.ok(recording.count('getRange') > 0);
    assert.equal(recording.count('get '), 1, 'the index, once');
  });
});
