import assert from 'node:assert/strict';
import { base64ToBytes, bytesToBase64 } from '../../../pipeline/otlp/base64.ts';
import { bytesToHex, hexToBytes } from '../../../pipeline/otlp/hex.ts';

describe('hex', () => {
  it('round-trips every byte value in lowercase', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const hex = bytesToHex(all);
    assert.equal(hex, Buffer.from(all).toString('hex'));
    assert.deepEqual(hexToBytes(hex), all);
  });

  it('accepts upper case', () => {
    assert.deepEqual(hexToBytes('0AF7651916CD43DD'), Uint8Array.from(Buffer.from('0af7651916cd43dd', 'hex')));
  });

  it('returns undefined for odd length or non-hex characters', () => {
    for (const bad of ['abc', 'zz', '0g', '\u0660\u0661', 'é0']) assert.equal(hexToBytes(bad), undefined, bad);
    assert.deepEqual(hexToBytes(''), new Uint8Array(0));
  });
});

describe('base64', () => {
  it('writes padded standard base64 of a view without copying the rest of the buffer', () => {
    const buf = Uint8Array.from([9, 0, 1, 254, 255, 9]);
    assert.equal(bytesToBase64(buf.subarray(1, 5)), 'AAH+/w==');
  });

  it('reads standard and URL-safe alphabets, padded or not', () => {
    for (const s of ['AAH+/w==', 'AAH-_w', 'AAH+/w']) assert.deepEqual([...base64ToBytes(s)!], [0, 1, 254, 255], s);
  });

  it('returns undefined for characters outside base64', () => {
    for (const bad of ['AA H', 'AA*=', 'A', '====']) assert.equal(base64ToBytes(bad), undefined, bad);
  });
});
