import { describe, expect, it } from 'vitest';
import type { InboundRequest } from '../../domain/ports/inbound-request.js';
import { UnsignedRequestAuthenticator } from './unsigned-request-authenticator.js';

function request(headers: Record<string, string>, query = ''): InboundRequest {
  return { method: 'POST', path: '/', query, header: (n) => headers[n], host: 'castellan.test', body: new Uint8Array() };
}

describe('UnsignedRequestAuthenticator', () => {
  it.each([
    { name: 'a request with no proof', req: request({}), secure: false, recognized: true },
    { name: 'SigV4 in the Authorization header', req: request({ authorization: 'AWS4-HMAC-SHA256 Credential=AKIA…' }), secure: false, recognized: false },
    { name: 'a presigned query', req: request({}, 'Action=GetCallerIdentity&X-Amz-Credential=AKIA%2F…&X-Amz-Signature=abc'), secure: false, recognized: false },
    { name: 'a console session cookie over http', req: request({ cookie: 'castellan-console=abc' }), secure: false, recognized: false },
    { name: 'a __Host- console session cookie over TLS', req: request({ cookie: '__Host-castellan-console=abc' }), secure: true, recognized: false },
    // Only the transport's name is a console session: another is just a cookie.
    { name: 'the plain console cookie over TLS', req: request({ cookie: 'castellan-console=abc' }), secure: true, recognized: true },
    { name: 'the __Host- console cookie over http', req: request({ cookie: '__Host-castellan-console=abc' }), secure: false, recognized: true },
    { name: 'an unrelated cookie', req: request({ cookie: 'theme=dark' }), secure: false, recognized: true },
  ])('recognizes $name: $recognized', ({ req, secure, recognized }) => {
    expect(new UnsignedRequestAuthenticator().recognizes(req, secure)).toBe(recognized);
  });

  it('proves nobody: its answer is the method `unsigned` and no account', async () => {
    const a = await new UnsignedRequestAuthenticator().authenticate();
    expect(a).toMatchObject({ principal: { type: 'Unknown', accountId: '' }, facts: { method: 'unsigned', temporaryCredentials: false } });
  });
});
