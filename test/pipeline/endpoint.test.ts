import assert from 'node:assert/strict';
import { formatEndpoint, parseEndpoint } from '../../pipeline/endpoint.ts';

describe('parseEndpoint', () => {
  it('reads host:port, bracketed IPv6 and a bare :port', () => {
    assert.deepEqual(parseEndpoint('0.0.0.0:4317'), { host: '0.0.0.0', port: 4317 });
    assert.deepEqual(parseEndpoint('[::1]:4318'), { host: '::1', port: 4318 });
    assert.deepEqual(parseEndpoint(':4318'), { host: '', port: 4318 });
  });

  it('refuses a missing or invalid port and unbracketed IPv6', () => {
    assert.throws(() => parseEndpoint('localhost'), /no port/);
    assert.throws(() => parseEndpoint('localhost:http'), /invalid port/);
    assert.throws(() => parseEndpoint('localhost:70000'), /invalid port/);
    assert.throws(() => parseEndpoint('::1:4317'), /brackets/);
  });

  it('formats IPv6 hosts in brackets', () => {
    assert.equal(formatEndpoint('::1', 80), '[::1]:80');
    assert.equal(formatEndpoint('127.0.0.1', 80), '127.0.0.1:80');
  });
});
