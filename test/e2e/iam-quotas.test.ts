import { CreateUserCommand, GetAccountSummaryCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { startTestCastellan } from './helpers/castellan.js';

// A deployment's `quotas` setting reaches the wire: the server refuses past the value it was given
// (lowered here so the test stays small; raising works alike, see services/iam/quotas.test.ts).
describe('IAM quotas set by the deployment, over the wire', () => {
  let s: Awaited<ReturnType<typeof startTestCastellan>>;
  beforeAll(async () => {
    s = await startTestCastellan({ quotas: 'usersPerAccount=3,groupsPerAccount=400' });
  }, 60_000);
  afterAll(() => s?.dispose());

  it('reports the configured quotas in GetAccountSummary', async () => {
    const { SummaryMap } = await s.iam().send(new GetAccountSummaryCommand({}));
    expect(SummaryMap).toMatchObject({ UsersQuota: 3, GroupsQuota: 400, RolesQuota: 1000, PoliciesQuota: 1500 });
  });

  it('answers LimitExceeded past the configured users quota, and creates nothing', async () => {
    const iam = s.iam();
    for (const name of ['q1', 'q2', 'q3']) await iam.send(new CreateUserCommand({ UserName: name }));
    const err = await sdkError(() => iam.send(new CreateUserCommand({ UserName: 'q4' })));
    expect(err).toMatchObject({ name: 'LimitExceededException', status: 409, message: 'Cannot exceed quota for UsersPerAccount: 3' });
    const { Users } = await iam.send(new ListUsersCommand({}));
    expect(Users?.map((u) => u.UserName)).toEqual(['q1', 'q2', 'q3']);
  });
});
