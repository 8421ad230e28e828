import { describe, expect, it } from 'vitest';
import { SECURITY_KEY_NAME, securityKeySiteProblem } from './security-key-site.js';

const at = (hostname: string, port = '19254') => ({ protocol: 'http:', hostname, port, pathname: '/console/', hash: '#/users/carol' });

describe('securityKeySiteProblem', () => {
  it.each([
    ['localhost', at('localhost'), undefined],
    ['a domain', at('iam.example.com', ''), undefined],
    ['127.0.0.1, the address the banner gives', at('127.0.0.1'), 'Security keys need the console at a domain name: browsers refuse an IP address such as 127.0.0.1 for WebAuthn. Open the console at http://localhost:19254/console/#/users/carol and sign in there to use one.'],
    ['IPv6 loopback', at('[::1]'), expect.stringContaining('Open the console at http://localhost:19254/console/')],
    ['another IP address', at('10.0.0.7'), expect.stringContaining("Open the console at the server's domain name")],
  ])('%s', (_what, location, expected) => {
    expect(securityKeySiteProblem(location)).toEqual(expected);
  });
});

describe('SECURITY_KEY_NAME', () => {
  it.each([
    ['yubi', true],
    ['my-key_2@home.example', true],
    ['my key!', false],
    ['', false],
    ['k'.repeat(129), false],
  ])('%s', (name, ok) => {
    expect(SECURITY_KEY_NAME.test(name)).toBe(ok);
  });
});
