import assert from 'node:assert/strict';
import { parseTraceId } from '../../../backend/api/trace-id.ts';
import { BadRequestError } from '../../../pipeline/errors.ts';

function hex(id: Uint8Array): string {
  return Buffer.from(id).toString('hex');
}

describe('parseTraceId', () => {
  const valid: [string, string, string][] = [
    ['pads a 1-byte ID to 16 bytes', '12', '00000000000000000000000000000012'],
    ['pads a 64-bit ID', '1234567890abcdef', '00000000000000001234567890abcdef'],
    ['keeps a 128-bit ID', '1234567890abcdef1234567890abcdef', '1234567890abcdef1234567890abcdef'],
    ['prefixes an odd-length ID with 0', '234567890abcdef', '00000000000000000234567890abcdef'],
    ['accepts upper case', '895F3A38DB12A0E1', '0000000000000000895f3a38db12a0e1'],
    ['accepts mixed case with leading zeros', '0000000000000000895f3A38db12a0E1', '0000000000000000895f3a38db12a0e1'],
    ['accepts an odd 31-char ID', '82f6471b46d25e23418a0a99d4c2cda', '082f6471b46d25e23418a0a99d4c2cda'],
  ];
  for (const [name, input, expected] of valid) {
    it(`${name} (${input})`, () => {
      assert.equal(hex(parseTraceId(input)), expected);
    });
  }

  it('treats the short, zero-padded and upper-case forms as the same trace', () => {
    const forms = ['895f3a38db12a0e1', '0000000000000000895f3a38db12a0e1', '895F3A38DB12A0E1'];
    assert.deepEqual(new Set(forms.map((f) => hex(parseTraceId(f)))).size, 1);
  });

  const invalid: [string, string, string][] = [
    ['rejects 34 hex characters', '121234567890abcdef1234567890abcdef', "trace IDs can't be larger than 128 bits"],
    ['rejects 33 hex characters (odd, padded to 17 bytes)', '1' + 'a'.repeat(32), "trace IDs can't be larger than 128 bits"],
    ['rejects a trailing space', '1234567890abcdef ',
      "trace IDs can only contain hex characters: invalid character ' ' at position 17"],
    ['rejects a non-hex letter', 'xyz', "trace IDs can only contain hex characters: invalid character 'x' at position 1"],
    ['counts the position in bytes after a multi-byte character', 'aé-',
      "trace IDs can only contain hex characters: invalid character 'é' at position 2"],
    ['rejects a dash', '12-34', "trace IDs can only contain hex characters: invalid character '-' at position 3"],
  ];
  for (const [name, input, message] of invalid) {
    it(name, () => {
      assert.throws(() => parseTraceId(input), (err: unknown) => {
        assert.ok(err instanceof BadRequestError);
        assert.equal(err.message, message);
        return true;
      });
    });
  }
});
