import type { AdvisorReport } from '@castellan/advisor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../store/testing.js';
import { getCredentialReport } from '../iam/credential-report.js';
import { putInlinePolicy } from '../iam/inline-policies.js';
import { createLoginProfile } from '../iam/login-profiles.js';
import { updateAccountPasswordPolicy } from '../iam/password-policy.js';
import { createRole } from '../iam/roles.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from '../iam/test-identity-fixture.js';
import { createUser } from '../iam/users.js';
import { bestPracticesReport } from './best-practices-report.js';

const doc = (statement: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
const found = (r: AdvisorReport) => r.practices.flatMap((p) => p.findings).map((f) => `${f.checkId} ${f.entities.map((e) => e.name).join(',')}`);

describe.each(testDialects())('bestPracticesReport (%s)', (dialect) => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture(dialect);
  }, 60_000);
  afterAll(() => f?.dispose());

  it('reads the account from the use cases: users, inline policies, trust policies, passwords, the policy', async () => {
    const root = f.root();
    await createUser(f.deps, { userName: 'alice' }, root);
    await createLoginProfile(f.deps, { userName: 'alice', password: 'Corr3ct-Horse!' }, root);
    await putInlinePolicy(f.deps, { kind: 'user', entityName: 'alice', policyName: 'all', policyDocument: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }, root);
    await createRole(f.deps, { roleName: 'open', assumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }) }, root);
    await createRole(f.deps, { roleName: 'own', assumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }) }, root);

    const before = await bestPracticesReport(f.deps, root);
    expect(before.accountId).toBe(ACCOUNT_ID);
    expect(before.inputs).toEqual(['authorization-details', 'credential-report', 'password-policy', 'account-summary', 'cloudtrail']);
    expect(found(before)).toEqual(expect.arrayContaining(['console-user-mfa alice', 'full-admin-policy user/alice inline:all,alice', 'user-attached-policies alice', 'permissive-role-trust open', `password-policy ${ACCOUNT_ID}`, 'audit-trail CloudTrail']));
    // Services alone record no events: the trail is read, and found empty.
    expect(before.practices.find((p) => p.number === 5)!.findings[0]!.title).toBe('The trail read (log files or LookupEvents) holds no events');
    expect(found(before).join()).not.toContain('own'); // its own account: fine
    // Nothing is stored: the credential report the call built is not the account's report.
    expect(await failure(() => getCredentialReport(f.deps, {}, root))).toMatchObject({ code: 'ReportNotPresent' });

    await updateAccountPasswordPolicy(f.deps, { minimumPasswordLength: 14, requireSymbols: true, requireNumbers: true, requireUppercaseCharacters: true, requireLowercaseCharacters: true, passwordReusePrevention: 24, maxPasswordAge: 90 }, root);
    const after = await bestPracticesReport(f.deps, root);
    expect(found(after).filter((x) => x.startsWith('password-policy'))).toEqual([]);
    expect(after.practices.find((p) => p.number === 6)!.score).toBe(100);
  });
});
