import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorizationDecision } from '../../domain/ports/authorizer.js';
import { testDialects } from '../../store/testing.js';
import { ActionUseRecorder } from '../authorization/action-use-recorder.js';
import { attachPolicy } from './attachments.js';
import { addUserToGroup, createGroup } from './groups.js';
import { putInlinePolicy } from './inline-policies.js';
import { createPolicy } from './managed-policies.js';
import { createRole } from './roles.js';
import { generateServiceLastAccessedDetails, getServiceLastAccessedDetails, getServiceLastAccessedDetailsWithEntities, servicesAllowed } from './service-last-accessed.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { createUser } from './users.js';

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (action: string | string[]) => ({ Effect: 'Allow', Action: action, Resource: '*' });
const TRUST = doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });

describe.each(testDialects())('last-accessed data (%s)', (dialect) => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture(dialect);
  }, 60_000);
  afterAll(() => f?.dispose());

  it.each([
    { name: 'exact actions and wildcards name their services', docs: [doc(allow(['iam:GetUser', 's3:Get*']), allow('sts:GetCallerIdentity'))], services: ['iam', 's3', 'sts'] },
    { name: 'a Deny grants nothing; an unknown service or action is ignored', docs: [doc({ Effect: 'Deny', Action: 'ec2:*', Resource: '*' }, allow(['nope:Thing', 'iam:NoSuchAction']))], services: [] },
    { name: 'Action "*" allows every service', docs: [doc(allow('*'))], services: 'all' },
    { name: 'NotAction allows every service it leaves an action of', docs: [doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })], services: 'all but iam' },
  ])('services allowed: $name', ({ docs, services }) => {
    const found = [...servicesAllowed(f.deps, docs)].sort();
    if (services === 'all') expect(found).toEqual([...f.deps.catalog.servicePrefixes()].sort());
    else if (services === 'all but iam') expect(found).toEqual([...f.deps.catalog.servicePrefixes()].filter((s) => s !== 'iam').sort());
    else expect(found).toEqual(services);
  });

  it('reports users, groups, roles and policies from the uses recorded, at service and action level, with paging', async () => {
    const root = f.root();
    const { user: ann } = await createUser(f.deps, { userName: 'ann', path: '/team/' }, root);
    const { user: ben } = await createUser(f.deps, { userName: 'ben' }, root);
    await createGroup(f.deps, { groupName: 'readers' }, root);
    for (const u of ['ann', 'ben']) await addUserToGroup(f.deps, { groupName: 'readers', userName: u }, root);
    await putInlinePolicy(f.deps, { kind: 'group', entityName: 'readers', policyName: 'read', policyDocument: doc(allow(['iam:Get*', 'sts:GetCallerIdentity'])) }, root);
    await putInlinePolicy(f.deps, { kind: 'user', entityName: 'ann', policyName: 's3', policyDocument: doc(allow('s3:GetObject')) }, root);
    const { role } = await createRole(f.deps, { roleName: 'app', assumeRolePolicyDocument: TRUST }, root);
    const policy = await createPolicy(f.deps, { policyName: 'iam-read', policyDocument: doc(allow('iam:List*')) }, root);
    await attachPolicy(f.deps, { kind: 'role', entityName: 'app', policyArn: policy.arn }, root);
    await attachPolicy(f.deps, { kind: 'group', entityName: 'readers', policyArn: policy.arn }, root);

    const at = (s: number) => new Date(Date.UTC(2026, 4, 1, 0, 0, s));
    const use = (entity: { kind: 'user' | 'role'; id: string }, action: string, s: number, region = 'us-east-1') => ({ accountId: ACCOUNT_ID, entity, action, usedAt: at(s), region });
    await f.deps.store.recordActionUse([
      use({ kind: 'user', id: ann.id }, 'iam:GetUser', 10),
      use({ kind: 'user', id: ann.id }, 'iam:ListUsers', 20, 'eu-west-1'),
      use({ kind: 'user', id: ben.id }, 'iam:GetUser', 30),
      use({ kind: 'user', id: ben.id }, 'ec2:DescribeInstances', 40),
      use({ kind: 'role', id: role.id }, 'iam:ListRoles', 50, 'ap-south-1'),
    ]);

    // A user: its own and its groups' policies (iam, s3, sts); ec2 is not allowed, so not reported.
    const { jobId } = await generateServiceLastAccessedDetails(f.deps, { arn: ann.arn }, root);
    const annReport = await getServiceLastAccessedDetails(f.deps, { jobId }, root);
    expect(annReport.report.granularity).toBe('SERVICE_LEVEL');
    expect(annReport.services).toEqual([
      { serviceName: 'AWS Identity and Access Management (IAM)', serviceNamespace: 'iam', lastAuthenticated: at(20), lastAuthenticatedEntity: ann.arn, lastAuthenticatedRegion: 'eu-west-1', totalAuthenticatedEntities: 1 },
      { serviceName: expect.stringContaining('S3'), serviceNamespace: 's3', totalAuthenticatedEntities: 0 },
      { serviceName: expect.stringContaining('Security Token Service'), serviceNamespace: 'sts', totalAuthenticatedEntities: 0 },
    ]);

    // A group at action level: its members' uses of what the group's policies allow.
    const group = await generateServiceLastAccessedDetails(f.deps, { arn: `arn:aws:iam::${ACCOUNT_ID}:group/readers`, granularity: 'ACTION_LEVEL' }, root);
    const groupPage = await getServiceLastAccessedDetails(f.deps, { jobId: group.jobId, maxItems: 1 }, root);
    expect(groupPage.marker).toBe('1');
    expect(groupPage.services).toEqual([{
      serviceName: 'AWS Identity and Access Management (IAM)', serviceNamespace: 'iam', lastAuthenticated: at(30), lastAuthenticatedEntity: ben.arn, lastAuthenticatedRegion: 'us-east-1', totalAuthenticatedEntities: 2,
      trackedActions: [
        { actionName: 'GetUser', lastAccessedEntity: ben.arn, lastAccessedTime: at(30), lastAccessedRegion: 'us-east-1' },
        { actionName: 'ListUsers', lastAccessedEntity: ann.arn, lastAccessedTime: at(20), lastAccessedRegion: 'eu-west-1' },
      ],
    }]);
    const rest = await getServiceLastAccessedDetails(f.deps, { jobId: group.jobId, maxItems: 1, marker: '1' }, root);
    expect(rest.services.map((s) => s.serviceNamespace)).toEqual(['sts']);
    expect(rest.marker).toBeUndefined();
    const withEntities = await getServiceLastAccessedDetailsWithEntities(f.deps, { jobId: group.jobId, serviceNamespace: 'iam' }, root);
    expect(withEntities.entities).toEqual([
      { entity: { kind: 'user', id: ann.id, name: 'ann', path: '/team/', arn: ann.arn }, lastAuthenticated: at(20) },
      { entity: { kind: 'user', id: ben.id, name: 'ben', path: '/', arn: ben.arn }, lastAuthenticated: at(30) },
    ]);

    // A role, and a policy: the role and the group's members it reaches; ben used only GetUser,
    // which this policy (iam:List*) does not grant, so it does not count him at service level either.
    const roleJob = await generateServiceLastAccessedDetails(f.deps, { arn: role.arn }, root);
    expect((await getServiceLastAccessedDetails(f.deps, { jobId: roleJob.jobId }, root)).services).toEqual([
      { serviceName: 'AWS Identity and Access Management (IAM)', serviceNamespace: 'iam', lastAuthenticated: at(50), lastAuthenticatedEntity: role.arn, lastAuthenticatedRegion: 'ap-south-1', totalAuthenticatedEntities: 1 },
    ]);
    const policyJob = await generateServiceLastAccessedDetails(f.deps, { arn: policy.arn }, root);
    expect((await getServiceLastAccessedDetails(f.deps, { jobId: policyJob.jobId }, root)).services).toMatchObject([
      { serviceNamespace: 'iam', lastAuthenticated: at(50), lastAuthenticatedEntity: role.arn, totalAuthenticatedEntities: 2 },
    ]);
    const policyEntities = await getServiceLastAccessedDetailsWithEntities(f.deps, { jobId: policyJob.jobId, serviceNamespace: 'IAM', maxItems: 2 }, root);
    expect(policyEntities.entities.map((e) => [e.entity.name, e.lastAuthenticated])).toEqual([['ann', at(20)], ['ben', undefined]]);
    expect(policyEntities.marker).toBe('2');

    // Errors.
    expect(await failure(() => generateServiceLastAccessedDetails(f.deps, { arn: `arn:aws:iam::${ACCOUNT_ID}:user/nobody` }, root))).toMatchObject({ code: 'NoSuchEntity' });
    expect(await failure(() => generateServiceLastAccessedDetails(f.deps, { arn: 'arn:aws:s3:::bucket' }, root))).toMatchObject({ code: 'InvalidInput' });
    expect(await failure(() => getServiceLastAccessedDetails(f.deps, { jobId: 'no-such-job' }, root))).toMatchObject({ code: 'NoSuchEntity' });
    expect(await failure(() => getServiceLastAccessedDetails(f.deps, { jobId, marker: 'zz' }, root))).toMatchObject({ code: 'InvalidInput' });
    expect(await failure(() => getServiceLastAccessedDetailsWithEntities(f.deps, { jobId, serviceNamespace: 'ec2' }, root))).toMatchObject({ code: 'InvalidInput' });
  });

  it('counts, at service level as at action level, only attempts at actions the policies allow, refused ones included', async () => {
    const root = f.root();
    const { user } = await createUser(f.deps, { userName: 'pruned' }, root);
    await putInlinePolicy(f.deps, { kind: 'user', entityName: 'pruned', policyName: 'read', policyDocument: doc(allow('iam:GetUser')) }, root);
    const at = (s: number) => new Date(Date.UTC(2026, 5, 1, 0, 0, s));
    const entity = { kind: 'user' as const, id: user.id };
    await f.deps.store.recordActionUse([
      // A granted action (allowed or refused: both are attempts), then a later refused one no policy grants
      { accountId: ACCOUNT_ID, entity, action: 'iam:GetUser', usedAt: at(10), region: 'us-east-1' },
      { accountId: ACCOUNT_ID, entity, action: 'iam:DeleteUser', usedAt: at(20), region: 'eu-west-1' },
    ]);
    const job = await generateServiceLastAccessedDetails(f.deps, { arn: user.arn, granularity: 'ACTION_LEVEL' }, root);
    const [iam] = (await getServiceLastAccessedDetails(f.deps, { jobId: job.jobId }, root)).services;
    // The service's last use is its latest tracked action's, not the attempt at DeleteUser
    expect(iam).toEqual({
      serviceName: 'AWS Identity and Access Management (IAM)', serviceNamespace: 'iam', lastAuthenticated: at(10), lastAuthenticatedEntity: user.arn, lastAuthenticatedRegion: 'us-east-1', totalAuthenticatedEntities: 1,
      trackedActions: [{ actionName: 'GetUser', lastAccessedEntity: user.arn, lastAccessedTime: at(10), lastAccessedRegion: 'us-east-1' }],
    });
  });

  it('leaves no trace of refused attempts at actions the catalogue does not know; a refused known action is reported', async () => {
    const root = f.root();
    const { user } = await createUser(f.deps, { userName: 'prober' }, root);
    await putInlinePolicy(f.deps, { kind: 'user', entityName: 'prober', policyName: 's3', policyDocument: doc(allow('s3:*')) }, root);
    const recorder = new ActionUseRecorder(f.deps.store, f.deps.catalog, { flushIntervalMs: 60_000 });
    const refused = recorder.around({ authorize: async () => ({ decision: { effect: 'explicitDeny' }, evaluated: {} }) as unknown as AuthorizationDecision });
    // When a service asks about made-up s3 actions for the user (castellan:AuthorizeRequest), all refused
    for (let i = 0; i < 20; i++) await refused.authorize(f.as(user, new Date(Date.UTC(2026, 5, 2, 0, 0, i))), { action: `s3:Whatever${i}`, resource: '*', context: {} });
    await recorder.flush();
    // Then nothing is stored and s3 is not reported as used
    expect(await f.deps.store.listActionUses([user.id])).toEqual([]);
    const before = await generateServiceLastAccessedDetails(f.deps, { arn: user.arn, granularity: 'ACTION_LEVEL' }, root);
    expect((await getServiceLastAccessedDetails(f.deps, { jobId: before.jobId }, root)).services).toEqual([
      { serviceName: expect.stringContaining('S3'), serviceNamespace: 's3', totalAuthenticatedEntities: 0, trackedActions: [] },
    ]);
    // When a known action is refused (in any case), Then it is reported, as the catalogue spells it
    const when = new Date(Date.UTC(2026, 5, 2, 1, 0, 0));
    await refused.authorize(f.as(user, when), { action: 's3:getobject', resource: '*', context: {} });
    await recorder.close();
    const after = await generateServiceLastAccessedDetails(f.deps, { arn: user.arn, granularity: 'ACTION_LEVEL' }, root);
    expect((await getServiceLastAccessedDetails(f.deps, { jobId: after.jobId }, root)).services).toMatchObject([
      { serviceNamespace: 's3', lastAuthenticated: when, lastAuthenticatedEntity: user.arn, totalAuthenticatedEntities: 1, trackedActions: [{ actionName: 'GetObject', lastAccessedTime: when }] },
    ]);
  });
});
