import assert from 'node:assert/strict';
import { TracelakeError } from '../../../pipeline/errors.ts';
import { encodePageIndex, PageIndex, type PageRef } from '../../../backend/block/page-index.ts';

const id = (...head: number[]) => Uint8Array.from({ length: 16 }, (_, i) => head[i] ?? 0);

describe('PageIndex', () => {
  const pages: PageRef[] = [
    { firstId: id(1), lastId: id(3), offset: 0, length: 100, uncompressedLength: 1000, records: 3 },
    { firstId: id(5), lastId: id(5, 9), offset: 100, length: 50, uncompressedLength: 400, records: 1 },
    { firstId: id(8), lastId: id(9), offset: 2 ** 33 + 7, length: 7, uncompressedLength: 9, records: 2 },
  ];

  it('round-trips every entry, offsets past 4 GiB included', () => {
    const index = new PageIndex(encodePageIndex(pages));
    assert.equal(index.pageCount, 3);
    for (let i = 0; i < 3; i++) assert.deepEqual({ ...index.page(i) }, pages[i]);
  });

  it('finds the page whose first..last range holds an ID, and none in the gaps', () => {
    const index = new PageIndex(encodePageIndex(pages));
    assert.equal(index.find(id(1))?.offset, 0);
    assert.equal(index.find(id(3))?.offset, 0);
    assert.equal(index.find(id(5, 1))?.offset, 100);
    assert.equal(index.find(id(9))?.offset, 2 ** 33 + 7);
    for (const absent of [id(0), id(4), id(5, 10), id(9, 0, 1), id(255)]) assert.equal(index.find(absent), undefined);
  });

  it('refuses a damaged, truncated or foreign index', () => {
    const bytes = encodePageIndex(pages);
    const flipped = Uint8Array.from(bytes);
    flipped[30] ^= 1;
    assert.throws(() => new PageIndex(flipped), /checksum/);
    assert.throws(() => new PageIndex(bytes.subarray(0, bytes.length - 1)), TracelakeError);
    assert.throws(() => new PageIndex(new Uint8Array(16)), /not a page index/);
  });
});
