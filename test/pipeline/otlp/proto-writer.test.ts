import assert from 'node:assert/strict';
import { ProtoReader } from '../../../pipeline/otlp/proto-reader.ts';
import { ProtoWriter, varintSize } from '../../../pipeline/otlp/proto-writer.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('ProtoWriter', () => {
  it('writes varints in canonical form', () => {
    const w = new ProtoWriter(16);
    w.varint(0); w.varint(127); w.varint(128); w.varint(300); w.varint(2 ** 53 - 1);
    assert.equal(hex(w.finish()), '00' + '7f' + '8001' + 'ac02' + 'ffffffffffffff0f');
  });

  it('writes negative int64 as 10-byte two\'s complement', () => {
    const w = new ProtoWriter();
    w.int64(-1);
    assert.equal(hex(w.finish()), 'ffffffffffffffffff01');
  });

  it('writes fixed64 from a bigint and from a double identically', () => {
    const a = new ProtoWriter();
    a.fixed64(1_700_000_000_000_000_000n);
    const b = new ProtoWriter();
    b.fixed64(1_700_000_000_000_000_000);
    assert.equal(hex(a.finish()), hex(b.finish()));
    assert.equal(new ProtoReader(a.finish()).fixed64Big(), 1_700_000_000_000_000_000n);
  });

  it('rejects a negative fixed64', () => {
    assert.throws(() => new ProtoWriter().fixed64(-1), RangeError);
  });

  it('writes strings as UTF-8 with their byte length', () => {
    for (const s of ['', 'ascii', 'héllo ✓ 🚀', 'x'.repeat(42), 'é'.repeat(42), 'y'.repeat(200), '🚀'.repeat(100)]) {
      const w = new ProtoWriter(4);
      w.string(s);
      const r = new ProtoReader(w.finish());
      assert.equal(r.string(), s);
      assert.ok(r.done());
    }
  });

  it('patches nested message lengths of any size, growing the buffer as needed', () => {
    for (const size of [0, 1, 127, 128, 16383, 16384, 300000]) {
      const w = new ProtoWriter(16);
      const outer = w.beginMessage(1);
      const inner = w.beginMessage(2);
      w.raw(new Uint8Array(size).fill(7));
      w.endMessage(inner);
      w.endMessage(outer);
      const bytes = w.finish();
      const r = new ProtoReader(bytes);
      assert.equal(r.tag(), 0x0a);
      const end = r.lengthEnd();
      assert.equal(end, bytes.length);
      assert.equal(r.tag(), 0x12);
      const body = r.bytes();
      assert.equal(body.length, size);
      assert.ok(body.every((b) => b === 7));
      assert.equal(bytes.length, 2 + varintSize(size + 1 + varintSize(size)) + varintSize(size) + size);
    }
  });
});

describe('varintSize', () => {
  it('matches the encoded length', () => {
    for (const n of [0, 127, 128, 16383, 16384, 2 ** 28 - 1, 2 ** 28, 2 ** 35, 2 ** 53 - 1]) {
      const w = new ProtoWriter();
      w.varint(n);
      assert.equal(varintSize(n), w.finish().length, `n=${n}`);
    }
  });
});
