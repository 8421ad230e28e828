import { describe, expect, it } from 'vitest';
import { userOrRoleOfArn } from './principal-kinds.js';
import { WHO_CAN_LIMIT, whoCan, whoCanScope } from './who-can.js';

const user = (name: string) => `arn:aws:iam::123456789012:user/${name}`;
const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;

describe('whoCan', () => {
  it('answers every principal in order, a refusal as an error, at most four at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    const answers = await whoCan(
      { asked: ['u1', 'u2', 'bad', 'r1', 'r2', 'r3'] },
      async (p) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        if (p === 'bad') throw new Error('AccessDenied: no');
        return { decision: p.startsWith('u') ? 'allowed' : 'implicitDeny', why: p.startsWith('u') ? ['admin (user)'] : [], dependsOn: p === 'r2' ? ['aws:MultiFactorAuthPresent'] : [] };
      },
      (done) => seen.push(done),
    );
    expect(answers).toEqual([
      { principal: 'u1', decision: 'allowed', why: ['admin (user)'], dependsOn: [] },
      { principal: 'u2', decision: 'allowed', why: ['admin (user)'], dependsOn: [] },
      { principal: 'bad', decision: 'error', why: ['AccessDenied: no'], dependsOn: [] },
      { principal: 'r1', decision: 'implicitDeny', why: [], dependsOn: [] },
      { principal: 'r2', decision: 'implicitDeny', why: [], dependsOn: ['aws:MultiFactorAuthPresent'] },
      { principal: 'r3', decision: 'implicitDeny', why: [], dependsOn: [] },
    ]);
    expect(most).toBe(4);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('asks about the first WHO_CAN_LIMIT users and the first WHO_CAN_LIMIT roles, and nothing for none', async () => {
    const asked: string[] = [];
    // Users are listed first: with more than the limit of them, the roles are still simulated.
    const users = Array.from({ length: WHO_CAN_LIMIT + 3 }, (_, i) => user(`u${i}`));
    const roles = [role('r0'), role('path/r1')];
    const scope = whoCanScope([...users, ...roles]);
    expect(scope.users).toEqual({ listed: WHO_CAN_LIMIT + 3, asked: WHO_CAN_LIMIT });
    expect(scope.roles).toEqual({ listed: 2, asked: 2 });
    const answers = await whoCan(scope, async (p) => (asked.push(p), { decision: 'allowed', why: [], dependsOn: [] }));
    expect(answers).toHaveLength(WHO_CAN_LIMIT + 2);
    expect(asked.sort()).toEqual([...users.slice(0, WHO_CAN_LIMIT), ...roles].sort());
    expect(await whoCan(whoCanScope([]), async () => ({ decision: 'allowed', why: [], dependsOn: [] }))).toEqual([]);
  });
});

describe('userOrRoleOfArn', () => {
  it.each([
    [user('alice'), { kind: 'user', name: 'alice' }],
    [user('team/a/alice'), { kind: 'user', name: 'alice' }],
    [role('path/deployer'), { kind: 'role', name: 'deployer' }],
    ['arn:aws:iam::123456789012:group/devs', undefined],
    ['arn:aws:sts::123456789012:assumed-role/deployer/s', undefined],
    ['not an arn', undefined],
  ])('%s', (arn, expected) => {
    expect(userOrRoleOfArn(arn)).toEqual(expected);
  });
});
