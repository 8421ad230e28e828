import { describe, expect, it } from 'vitest';
import { deniedText } from './permission-gate.js';

describe('deniedText', () => {
  it.each([
    ['explicitDeny', 'identity', 'You may not: iam:DeleteUser, denied by an explicit deny in an identity-based policy.'],
    ['explicitDeny', 'boundary', 'You may not: iam:DeleteUser, denied by an explicit deny in a permissions boundary.'],
    ['explicitDeny', 'resource', 'You may not: iam:DeleteUser, denied by an explicit deny in a resource-based policy.'],
    ['implicitDeny', 'identity', 'You may not: iam:DeleteUser, denied because no identity-based policy allows it.'],
  ] as const)('%s in the %s layer', (effect, deniedBy, text) => {
    expect(deniedText('iam:DeleteUser', { state: 'denied', effect, deniedBy, message: 'm' })).toBe(text);
  });
});
