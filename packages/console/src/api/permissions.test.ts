import { describe, expect, it } from 'vitest';
import { callsOf, toPermission } from './permissions.js';

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

describe('callsOf', () => {
  // The operation takes at most 100 checks and 20,480 characters of actions and resources a call.
  const check = (resourceLength: number) => ({ action: 'iam:GetUser', resource: 'r'.repeat(resourceLength - 'iam:GetUser'.length) });
  it.each([
    ['nothing', [], []],
    ['a few short checks in one call', [3], [3]],
    ['250 short checks in calls of 100', [250], [100, 100, 50]],
    ['checks of 2,048 characters in calls of 10', [25, 2048], [10, 10, 5]],
  ])('%s', (_what, [count = 0, length = 40], sizes) => {
    const checks = Array.from({ length: count }, () => check(length));
    const calls = callsOf(checks);
    expect(calls.map((c) => c.length)).toEqual(sizes);
    expect(calls.flat()).toEqual(checks);
  });
});
