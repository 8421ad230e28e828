/**
 * Keyset paging as clients see it: pages of GetAccountAuthorizationDetails carry the same details
 * as one big answer (each page reads its related rows in batches), and a marker a client did not
 * get from the same listing is AWS's InvalidInput (IAM) or InvalidNextTokenException (CloudTrail).
 */
import {
  AddUserToGroupCommand, CreateGroupCommand, CreatePolicyCommand, CreateUserCommand, GetAccountAuthorizationDetailsCommand, ListPoliciesCommand,
  ListUsersCommand, PutUserPolicyCommand, paginateGetAccountAuthorizationDetails, paginateListPolicies, paginateListUsers, type UserDetail,
} from '@aws-sdk/client-iam';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { startTestCastellan } from './helpers/castellan.js';

const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

describe('paging over the wire', () => {
  let s: Awaited<ReturnType<typeof startTestCastellan>>;
  beforeAll(async () => {
    s = await startTestCastellan();
    const iam = s.iam();
    await iam.send(new CreateGroupCommand({ GroupName: 'readers' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'Admins' }));
    for (let i = 0; i < 7; i++) {
      const name = `pager-${i}`;
      await iam.send(new CreateUserCommand({ UserName: name, Tags: i % 2 ? [{ Key: 'n', Value: String(i) }, { Key: 'a', Value: 'x' }] : [] }));
      if (i % 3 === 0) await iam.send(new AddUserToGroupCommand({ GroupName: 'readers', UserName: name }));
      if (i % 3 === 1) await iam.send(new AddUserToGroupCommand({ GroupName: 'Admins', UserName: name }));
      if (i % 2 === 0) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: `p${i}`, PolicyDocument: doc('iam:GetUser') }));
      await iam.send(new CreatePolicyCommand({ PolicyName: `pager-policy-${i}`, PolicyDocument: doc('s3:GetObject') }));
    }
  }, 120_000);
  afterAll(() => s?.dispose());

  it('GetAccountAuthorizationDetails in pages of 2 gives every user with the details of one answer', async () => {
    const iam = s.iam();
    const whole = (await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User'] }))).UserDetailList!;
    const paged: UserDetail[] = [];
    for await (const page of paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 2 }, { Filter: ['User'] })) paged.push(...page.UserDetailList!);
    expect(paged).toEqual(whole);
    expect(whole.map((u) => u.UserName)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `pager-${i}`));
    expect(whole.find((u) => u.UserName === 'pager-3')).toMatchObject({ GroupList: ['readers'], Tags: [{ Key: 'n', Value: '3' }, { Key: 'a', Value: 'x' }], UserPolicyList: [] });
    expect(whole.find((u) => u.UserName === 'pager-4')).toMatchObject({ GroupList: ['Admins'], Tags: [], UserPolicyList: [{ PolicyName: 'p4' }] });
  });

  it('the SDK paginators walk ListUsers and ListPolicies once, in order', async () => {
    const iam = s.iam();
    const users: string[] = [];
    for await (const page of paginateListUsers({ client: iam, pageSize: 3 }, {})) users.push(...page.Users!.map((u) => u.UserName!));
    expect(users).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `pager-${i}`));
    const policies: string[] = [];
    for await (const page of paginateListPolicies({ client: iam, pageSize: 2 }, { Scope: 'Local' })) policies.push(...page.Policies!.map((p) => p.PolicyName!));
    expect(policies).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `pager-policy-${i}`));
  });

  it('refuses markers it did not issue for that listing', async () => {
    const iam = s.iam();
    const usersMarker = (await iam.send(new ListUsersCommand({ MaxItems: 1 }))).Marker!;
    const refusals = [
      () => iam.send(new ListUsersCommand({ Marker: 'not-a-marker' })),
      () => iam.send(new ListPoliciesCommand({ Scope: 'Local', Marker: usersMarker })),
      () => iam.send(new GetAccountAuthorizationDetailsCommand({ Marker: usersMarker })),
    ];
    for (const call of refusals) {
      expect(await sdkError(call)).toMatchObject({ name: 'InvalidInputException', status: 400, message: 'Invalid value for marker: the marker was not returned by a previous call.' });
    }
    expect(await sdkError(() => s.cloudTrail().send(new LookupEventsCommand({ NextToken: usersMarker })))).toMatchObject({ name: 'InvalidNextTokenException', status: 400 });
  });
});
