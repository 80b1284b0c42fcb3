import assert from 'node:assert/strict';
import { textReply } from '../../../backend/api/replies.ts';
import { Router } from '../../../backend/api/router.ts';
import { BadRequestError } from '../../../pipeline/errors.ts';

const ok = () => textReply(200, 'ok');
const router = new Router([
  { path: '/api/traces/:traceId', handler: ok },
  { path: '/api/v2/traces/:traceId', handler: ok },
  { path: '/api/echo', handler: ok },
]);

describe('Router', () => {
  it('matches a static path exactly', () => {
    assert.equal(router.match('/api/echo')?.route.path, '/api/echo');
    assert.equal(router.match('/api/echo/'), undefined);
    assert.equal(router.match('/api/echoes'), undefined);
  });

  it('captures a parameter, percent-decoded', () => {
    assert.deepEqual(router.match('/api/traces/ab%20cd')?.params, { traceId: 'ab cd' });
    assert.equal(router.match('/api/v2/traces/12')?.route.path, '/api/v2/traces/:traceId');
  });

  it('does not match an empty parameter or extra segments', () => {
    assert.equal(router.match('/api/traces/'), undefined);
    assert.equal(router.match('/api/traces/12/extra'), undefined);
  });

  it('throws BadRequestError on a malformed escape', () => {
    assert.throws(() => router.match('/api/traces/%zz'), BadRequestError);
  });
});
