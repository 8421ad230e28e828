import { describe, expect, it } from 'vitest';
import { isUsersVirtualSerial } from './mfa-serials.js';

describe('isUsersVirtualSerial', () => {
  it.each([
    ['arn:aws:iam::123456789012:mfa/alice', 'alice', true],
    ['arn:aws:iam::123456789012:mfa/alice-phone', 'alice', false],
    ['arn:aws:iam::123456789012:mfa/malice', 'alice', false],
    ['arn:aws:iam::123456789012:mfa/ops/alice', 'alice', false],
    ['arn:aws:iam::123456789012:mfa/Alice', 'alice', false],
    ['arn:aws:iam::123456789012:u2f/user/alice/key-ABC', 'alice', false],
    ['arn:aws:iam::123456789012:mfa/a.b+c', 'a.b+c', true],
  ])('%s is %s\'s: %s', (serial, user, expected) => {
    expect(isUsersVirtualSerial(serial, user)).toBe(expected);
  });
});
