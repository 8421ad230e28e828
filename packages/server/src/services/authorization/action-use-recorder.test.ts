import { beforeAll, describe, expect, it } from 'vitest';
import { loadIamDataCatalog, type IamDataCatalog } from '../../catalog/iam-data-catalog.js';
import type { RequestContext } from '../../domain/context.js';
import type { AuthorizationDecision, Authorizer } from '../../domain/ports/authorizer.js';
import { rootPrincipal, userPrincipal } from '../../domain/test-principals.js';
import type { ActionUse } from '../../store/store.js';
import { ActionUseRecorder, activityEntity } from './action-use-recorder.js';

const ctx = (caller: RequestContext['caller'], s: number, region = 'us-east-1'): RequestContext =>
  ({ requestId: 'r', now: new Date(s * 1000), caller, sourceIp: '192.0.2.1', userAgent: 't', region });
const decide = (effect: 'allow' | 'explicitDeny' | 'implicitDeny'): Authorizer => ({
  authorize: async () => ({ decision: { effect }, evaluated: {} }) as unknown as AuthorizationDecision,
});
const session = (issuerType: 'Role' | 'IAMUser' | 'Root', issuerPrincipalId: string) => ({
  ...userPrincipal('x'),
  type: 'AssumedRole' as const,
  session: { issuerArn: 'arn', issuerType, issuerName: 'n', issuerPrincipalId, createdAt: new Date(0), expiresAt: new Date(1), mfaAuthenticated: false },
});

describe('ActionUseRecorder', () => {
  let catalog: IamDataCatalog;
  beforeAll(async () => {
    catalog = await loadIamDataCatalog();
  });

  it.each([
    { name: 'an IAM user', caller: userPrincipal('bob'), entity: { kind: 'user', id: userPrincipal('bob').principalId } },
    { name: 'a role session', caller: session('Role', 'AROAROLE'), entity: { kind: 'role', id: 'AROAROLE' } },
    { name: "a user's session", caller: session('IAMUser', 'AIDAUSER'), entity: { kind: 'user', id: 'AIDAUSER' } },
    { name: 'a root session', caller: session('Root', '123456789012'), entity: undefined },
    { name: 'the root user', caller: rootPrincipal(), entity: undefined },
  ])('attributes $name', ({ caller, entity }) => {
    expect(activityEntity(caller)).toEqual(entity);
  });

  it('notes allowed and refused decisions (AWS reports attempts), keeps the latest per entity and action, and writes them in one batch on flush', async () => {
    const batches: ActionUse[][] = [];
    const recorder = new ActionUseRecorder({ recordActionUse: async (b) => void batches.push(b) }, catalog, { flushIntervalMs: 60_000 });
    const bob = userPrincipal('bob');
    const allowed = recorder.around(decide('allow'));
    const denied = recorder.around(decide('implicitDeny'));
    await allowed.authorize(ctx(bob, 2, 'eu-west-1'), { action: 'iam:GetUser', resource: '*', context: {} });
    await allowed.authorize(ctx(bob, 1), { action: 'iam:GetUser', resource: '*', context: {} });
    await denied.authorize(ctx(bob, 3), { action: 'iam:DeleteUser', resource: '*', context: {} });
    await allowed.authorize(ctx(rootPrincipal(), 4), { action: 'iam:GetUser', resource: '*', context: {} });
    expect(batches).toEqual([]);
    await recorder.close();
    expect(batches).toEqual([[
      { accountId: bob.accountId, entity: { kind: 'user', id: bob.principalId }, action: 'iam:GetUser', usedAt: new Date(2000), region: 'eu-west-1' },
      { accountId: bob.accountId, entity: { kind: 'user', id: bob.principalId }, action: 'iam:DeleteUser', usedAt: new Date(3000), region: 'us-east-1' },
    ]]);
    // Nothing is noted after close.
    await allowed.authorize(ctx(bob, 5), { action: 'iam:ListUsers', resource: '*', context: {} });
    await recorder.flush();
    expect(batches).toHaveLength(1);
  });

  it('notes an attempt, refused or allowed, only at an action the catalogue knows, spelled as it spells it', async () => {
    const batches: ActionUse[][] = [];
    const recorder = new ActionUseRecorder({ recordActionUse: async (b) => void batches.push(b) }, catalog, { flushIntervalMs: 60_000 });
    const bob = userPrincipal('bob');
    const entity = { kind: 'user', id: bob.principalId };
    const denied = recorder.around(decide('implicitDeny'));
    const explicitlyDenied = recorder.around(decide('explicitDeny'));
    const allowed = recorder.around(decide('allow'));
    // Made-up actions of a known service and of an unknown one, refused (as castellan:AuthorizeRequest may ask)
    for (let i = 0; i < 20; i++) await denied.authorize(ctx(bob, 1), { action: `s3:Whatever${i}`, resource: '*', context: {} });
    await explicitlyDenied.authorize(ctx(bob, 1), { action: 'nosuchservice:GetThing', resource: '*', context: {} });
    // Made-up actions that an `Action: "*"` policy allowed, of an unknown service and of a known one
    for (let i = 0; i < 20; i++) await allowed.authorize(ctx(bob, 1), { action: `foo:A${i}`, resource: '*', context: {} });
    await allowed.authorize(ctx(bob, 1), { action: 'iam:MadeUpAction', resource: '*', context: {} });
    // Known actions in another case, refused and allowed
    await denied.authorize(ctx(bob, 2), { action: 'S3:getobject', resource: '*', context: {} });
    await allowed.authorize(ctx(bob, 3), { action: 'IAM:getuser', resource: '*', context: {} });
    await recorder.close();
    expect(batches).toEqual([[
      { accountId: bob.accountId, entity, action: 's3:GetObject', usedAt: new Date(2000), region: 'us-east-1' },
      { accountId: bob.accountId, entity, action: 'iam:GetUser', usedAt: new Date(3000), region: 'us-east-1' },
    ]]);
  });
  it('asks the catalogue once per spelling of an action, and answers the same past the bound of spellings it remembers', async () => {
    const batches: ActionUse[][] = [];
    const asked: string[] = [];
    const counting = { action: (a: string) => (asked.push(a), catalog.action(a)) };
    const recorder = new ActionUseRecorder({ recordActionUse: async (b) => void batches.push(b) }, counting, { flushIntervalMs: 60_000, maxBuffered: 100_000 });
    const bob = userPrincipal('bob');
    const allowed = recorder.around(decide('allow'));
    // The same known and unknown spellings, three times each
    for (let s = 1; s <= 3; s++) {
      await allowed.authorize(ctx(bob, s), { action: 'IAM:getuser', resource: '*', context: {} });
      await allowed.authorize(ctx(bob, s), { action: 'iam:MadeUpAction', resource: '*', context: {} });
    }
    expect(asked).toEqual(['IAM:getuser', 'iam:MadeUpAction']);
    // More made-up spellings than it remembers, then the first two again: still the catalogue's answers
    for (let i = 0; i < 5000; i++) await allowed.authorize(ctx(bob, 4), { action: `foo:A${i}`, resource: '*', context: {} });
    await allowed.authorize(ctx(bob, 5), { action: 'IAM:getuser', resource: '*', context: {} });
    await allowed.authorize(ctx(bob, 5), { action: 'iam:MadeUpAction', resource: '*', context: {} });
    expect(asked.slice(-2)).toEqual(['IAM:getuser', 'iam:MadeUpAction']);
    await recorder.close();
    expect(batches).toEqual([[{ accountId: bob.accountId, entity: { kind: 'user', id: bob.principalId }, action: 'iam:GetUser', usedAt: new Date(5000), region: 'us-east-1' }]]);
  });
});
