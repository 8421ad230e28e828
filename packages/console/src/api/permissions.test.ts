import { describe, expect, it } from 'vitest';
import { toPermission } from './permissions.js';

const result = (Effect: 'allow' | 'explicitDeny' | 'implicitDeny', MissingContextKeys: string[] = [], extra: object = {}) => ({ Action: 'iam:CreateUser', Resource: '*', Effect, MissingContextKeys, ...extra });

describe('toPermission', () => {
  // Only a denial that depends on no missing key disables: the server decides the rest.
  it.each([
    ['an allow', result('allow'), { state: 'allowed' }],
    ['an allow that depends on a key', result('allow', ['aws:RequestTag/team']), { state: 'allowed' }],
    ['an implicit deny', result('implicitDeny', [], { DeniedBy: 'identity', Message: 'm', EncodedMessage: 'e' }), { state: 'denied', effect: 'implicitDeny', deniedBy: 'identity', message: 'm', encodedMessage: 'e' }],
    ['an explicit deny by a boundary', result('explicitDeny', [], { DeniedBy: 'boundary', Message: 'm' }), { state: 'denied', effect: 'explicitDeny', deniedBy: 'boundary', message: 'm' }],
    ['a denial that depends on the resource’s tags', result('implicitDeny', ['aws:ResourceTag/team'], { DeniedBy: 'identity' }), { state: 'unknown', dependsOn: ['aws:ResourceTag/team'] }],
    ['no answer', undefined, { state: 'unknown', dependsOn: [] }],
  ])('%s', (_what, answer, expected) => {
    expect(toPermission(answer as Parameters<typeof toPermission>[0])).toEqual(expected);
  });
});
