import assert from 'node:assert/strict';
import { PermanentError } from '../../../pipeline/errors.ts';
import { ProtoReader, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_START_GROUP, WIRE_VARINT } from '../../../pipeline/otlp/proto-reader.ts';
import { ProtoWriter } from '../../../pipeline/otlp/proto-writer.ts';

const reader = (...bytes: number[]) => new ProtoReader(Uint8Array.from(bytes));

describe('ProtoReader', () => {
  it('reads one- and multi-byte varints', () => {
    const r = reader(0x05, 0xac, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f);
    assert.equal(r.varint(), 5);
    assert.equal(r.varint(), 300);
    assert.equal(r.varint(), 0xffffffff);
    assert.ok(r.done());
  });

  it('reads 64-bit varints exactly as bigint, including 10-byte negatives', () => {
    const w = new ProtoWriter();
    w.int64(2n ** 63n - 1n);
    w.int64(-1);
    w.int64(-(2n ** 63n));
    const r = new ProtoReader(w.finish());
    assert.equal(r.varintBig(), 2n ** 63n - 1n);
    assert.equal(BigInt.asIntN(64, r.varintBig()), -1n);
    assert.equal(BigInt.asIntN(64, r.varintBig()), -(2n ** 63n));
  });

  it('reads int32 including sign-extended negatives', () => {
    const w = new ProtoWriter();
    w.int64(-5); w.int64(2147483647); w.int64(-2147483648);
    const r = new ProtoReader(w.finish());
    assert.deepEqual([r.int32(), r.int32(), r.int32()], [-5, 2147483647, -2147483648]);
  });

  it('reads fixed32, fixed64 (as number and bigint) and double little-endian', () => {
    const w = new ProtoWriter();
    w.fixed32(0xdeadbeef);
    w.fixed64(1_700_000_000_123_456_789n);
    w.fixed64(1_700_000_000_123_456_789n);
    w.double(-2.5);
    const r = new ProtoReader(w.finish());
    assert.equal(r.fixed32(), 0xdeadbeef);
    assert.equal(r.fixed64(), 1_700_000_000_123_456_789);
    assert.equal(r.fixed64Big(), 1_700_000_000_123_456_789n);
    assert.equal(r.double(), -2.5);
  });

  it('returns length-delimited payloads as views of the same memory', () => {
    const buf = Uint8Array.from([0x0a, 0x03, 1, 2, 3]);
    const r = new ProtoReader(buf);
    assert.equal(r.tag(), (1 << 3) | WIRE_LEN);
    const view = r.bytes();
    assert.deepEqual([...view], [1, 2, 3]);
    buf[2] = 9;
    assert.equal(view[0], 9);
  });

  it('skips fields of every wire type, groups included', () => {
    const w = new ProtoWriter();
    w.tag(1, WIRE_VARINT); w.varint(300);
    w.tag(2, WIRE_FIXED64); w.fixed64(7);
    w.tag(3, WIRE_LEN); w.string('abc');
    w.tag(4, WIRE_START_GROUP); w.tag(5, WIRE_FIXED32); w.fixed32(1); w.tag(4, 4);
    w.tag(6, WIRE_FIXED32); w.fixed32(2);
    w.tag(7, WIRE_VARINT); w.varint(1);
    const r = new ProtoReader(w.finish());
    const seen: number[] = [];
    while (!r.done()) {
      const tag = r.tag();
      seen.push(tag >>> 3);
      if (tag >>> 3 === 7) assert.equal(r.varint(), 1);
      else r.skip(tag & 7);
    }
    assert.deepEqual(seen, [1, 2, 3, 4, 6, 7]);
  });

  it('never reads past the limit of the message being read', () => {
    const r = reader(0x08, 0x96, 0x01);
    const outer = r.enter(2);
    r.tag();
    assert.throws(() => r.varint(), /truncated varint in field 1/);
    r.leave(outer);
    assert.equal(r.limit, 3);
  });

  const malformed: [string, number[], RegExp][] = [
    ['a length past the end', [0x4a, 0x05, 1, 2], /truncated length-delimited field 9 \(length 5, 2 bytes left\)/],
    ['a truncated fixed64', [0x39, 1, 2, 3], /truncated fixed64 field 7/],
    ['a truncated fixed32', [0x85, 0x01, 1], /truncated fixed32 field 16/],
    ['an 11-byte varint', [0x08, ...Array(10).fill(0xff), 0x01], /varint longer than 10 bytes in field 1/],
    ['wire type 6', [0x0e], /invalid wire type 6 in field 1/],
    ['a stray end-group', [0x0c], /unexpected end-group for field 1/],
    ['an unterminated group', [0x0b, 0x08, 0x01], /truncated group field 1/],
    ['field number 0', [0x00, 0x01], /invalid field number 0/],
  ];
  for (const [what, bytes, message] of malformed) {
    it(`throws PermanentError on ${what}`, () => {
      const r = reader(...bytes);
      assert.throws(() => {
        while (!r.done()) r.skip(r.tag() & 7);
      }, (err: unknown) => err instanceof PermanentError && message.test(err.message));
    });
  }
});
