import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IAM_QUOTAS } from '../../domain/quotas.js';
import { testDialects } from '../../store/testing.js';
import { createAccessKey } from './access-keys.js';
import { createAccountAlias, deleteAccountAlias, getAccountAuthorizationDetails, getAccountSummary, listAccountAliases, setSecurityTokenServicePreferences } from './account.js';
import { addUserToGroup, createGroup } from './groups.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { createUser } from './users.js';

/** The keys AWS's model lists for SummaryMap. */
const MODEL_KEYS = [
  'Users', 'UsersQuota', 'Groups', 'GroupsQuota', 'ServerCertificates', 'ServerCertificatesQuota', 'UserPolicySizeQuota', 'GroupPolicySizeQuota',
  'GroupsPerUserQuota', 'SigningCertificatesPerUserQuota', 'AccessKeysPerUserQuota', 'MFADevices', 'MFADevicesInUse', 'AccountMFAEnabled',
  'AccountAccessKeysPresent', 'AccountSigningCertificatesPresent', 'AttachedPoliciesPerGroupQuota', 'AttachedPoliciesPerRoleQuota',
  'AttachedPoliciesPerUserQuota', 'Policies', 'PoliciesQuota', 'PolicySizeQuota', 'PolicyVersionsInUse', 'PolicyVersionsInUseQuota',
  'VersionsPerPolicyQuota', 'GlobalEndpointTokenVersion',
];

describe.each(testDialects())('account (%s)', (dialect) => {
  let f: IdentityFixture;
  // Opening a store and loading the catalogue can be slow while the whole suite runs.
  beforeAll(async () => {
    f = await identityFixture(dialect);
  }, 60_000);
  afterAll(() => f?.dispose());

  it('GetAccountSummary has every model key, counts and quotas', async () => {
    const empty = await getAccountSummary(f.deps, {}, f.root());
    for (const k of MODEL_KEYS) expect(empty).toHaveProperty(k);
    expect(empty).toMatchObject({ Users: 0, Groups: 0, AccountAccessKeysPresent: 0, AccountMFAEnabled: 0, UsersQuota: IAM_QUOTAS.usersPerAccount, AccessKeysPerUserQuota: 2 });
    await createUser(f.deps, { userName: 's1' }, f.root());
    await createGroup(f.deps, { groupName: 'g1' }, f.root());
    await createAccessKey(f.deps, {}, f.root());
    expect(await getAccountSummary(f.deps, {}, f.root())).toMatchObject({ Users: 1, Groups: 1, AccountAccessKeysPresent: 1 });
  });

  it('SetSecurityTokenServicePreferences: GetAccountSummary reports the version set (1 by default), other settings kept', async () => {
    expect((await getAccountSummary(f.deps, {}, f.root())).GlobalEndpointTokenVersion).toBe(1);
    await f.t.store.updateAccount(ACCOUNT_ID, { settingsJson: JSON.stringify({ other: 'kept' }) });
    for (const [version, reported] of [['v2Token', 2], ['v2Token', 2], ['v1Token', 1], ['v2Token', 2]] as const) {
      await setSecurityTokenServicePreferences(f.deps, { globalEndpointTokenVersion: version }, f.root());
      expect((await getAccountSummary(f.deps, {}, f.root())).GlobalEndpointTokenVersion, version).toBe(reported);
    }
    expect(JSON.parse((await f.t.store.getAccount(ACCOUNT_ID))!.settingsJson)).toEqual({ other: 'kept', globalEndpointTokenVersion: 'v2Token' });
    // Per account: another account still has the default.
    await f.t.store.createAccount({ id: '333344445555', createDate: new Date() });
    const other = f.ctx({ type: 'Root', accountId: '333344445555', arn: 'arn:aws:iam::333344445555:root', principalId: '333344445555', mfaAuthenticated: false });
    expect((await getAccountSummary(f.deps, {}, other)).GlobalEndpointTokenVersion).toBe(1);
  });

  it.each([
    ['invalid JSON', '{"globalEndpointTokenVersion":'],
    ['a JSON array', '["v2Token"]'],
    ['JSON null', 'null'],
    ['an unknown version', '{"globalEndpointTokenVersion":"v3Token"}'],
    ['a version that is not a string', '{"globalEndpointTokenVersion":2}'],
    ['an inherited name', '{"globalEndpointTokenVersion":"toString"}'],
  ])('GetAccountSummary reports GlobalEndpointTokenVersion 1 for stored settings with %s, and Set repairs them', async (_what, stored) => {
    await f.t.store.updateAccount(ACCOUNT_ID, { settingsJson: stored });
    expect((await getAccountSummary(f.deps, {}, f.root())).GlobalEndpointTokenVersion).toBe(1);
    await setSecurityTokenServicePreferences(f.deps, { globalEndpointTokenVersion: 'v2Token' }, f.root());
    expect((await getAccountSummary(f.deps, {}, f.root())).GlobalEndpointTokenVersion).toBe(2);
  });

  it('SetSecurityTokenServicePreferences on an account whose row is gone answers NoSuchEntity, not success', async () => {
    const gone = f.ctx({ type: 'Root', accountId: '999988887777', arn: 'arn:aws:iam::999988887777:root', principalId: '999988887777', mfaAuthenticated: false });
    expect(await failure(() => setSecurityTokenServicePreferences(f.deps, { globalEndpointTokenVersion: 'v2Token' }, gone))).toEqual({ code: 'NoSuchEntity', message: 'The account 999988887777 cannot be found.' });
    expect(await f.t.store.getAccount('999988887777')).toBeUndefined();
  });

  it('aliases: one per account (a new one replaces it), unique across accounts, deletable', async () => {
    await createAccountAlias(f.deps, { accountAlias: 'my-corp' }, f.root());
    await createAccountAlias(f.deps, { accountAlias: 'my-corp' }, f.root());
    expect((await listAccountAliases(f.deps, {}, f.root())).items).toEqual(['my-corp']);
    await createAccountAlias(f.deps, { accountAlias: 'my-corp-2' }, f.root());
    expect((await listAccountAliases(f.deps, {}, f.root())).items).toEqual(['my-corp-2']);
    await f.t.store.createAccount({ id: '210987654321', createDate: new Date() });
    const other = f.ctx({ type: 'Root', accountId: '210987654321', arn: 'arn:aws:iam::210987654321:root', principalId: '210987654321', mfaAuthenticated: false });
    expect(await failure(() => createAccountAlias(f.deps, { accountAlias: 'my-corp-2' }, other))).toEqual({ code: 'EntityAlreadyExists', message: 'The account alias my-corp-2 already exists.' });
    expect(await failure(() => createAccountAlias(f.deps, { accountAlias: '123456789012' }, f.root()))).toMatchObject({ code: 'InvalidInput' });
    expect(await failure(() => deleteAccountAlias(f.deps, { accountAlias: 'my-corp' }, f.root()))).toEqual({ code: 'NoSuchEntity', message: 'The account alias my-corp cannot be found.' });
    await deleteAccountAlias(f.deps, { accountAlias: 'my-corp-2' }, f.root());
    expect((await listAccountAliases(f.deps, {}, f.root())).items).toEqual([]);
  });

  it('GetAccountAuthorizationDetails lists every section with documents, filters and pages across sections', async () => {
    const { user } = await createUser(f.deps, { userName: 'detail', tags: [{ key: 't', value: 'v' }] }, f.root());
    await addUserToGroup(f.deps, { groupName: 'g1', userName: 'detail' }, f.root());
    await f.t.store.putInlinePolicy({ accountId: ACCOUNT_ID, entity: { kind: 'user', id: user.id }, name: 'mine', document: '{"Version":"2012-10-17","Statement":[]}' });
    await f.t.store.attachPolicy({ accountId: ACCOUNT_ID, entity: { kind: 'user', id: user.id }, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    const arn = `arn:aws:iam::${ACCOUNT_ID}:policy/local`;
    await f.t.store.createPolicy({ accountId: ACCOUNT_ID, id: 'ANPALOCAL00000000001', name: 'local', path: '/', arn, document: '{"Version":"2012-10-17","Statement":[]}', createDate: new Date() });
    await f.t.store.createRole({ accountId: ACCOUNT_ID, id: 'AROAROLE000000000001', name: 'r', path: '/', arn: `arn:aws:iam::${ACCOUNT_ID}:role/r`, createDate: new Date(), assumeRolePolicyDocument: '{}', maxSessionDuration: 3600 });

    const all = await getAccountAuthorizationDetails(f.deps, {}, f.root());
    const detail = all.users.find((u) => u.user.name === 'detail')!;
    expect(detail.groupNames).toEqual(['g1']);
    expect(detail.inlinePolicies.map((p) => p.name)).toEqual(['mine']);
    expect(detail.attached.map((p) => p.policyArn)).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    expect(detail.tags).toEqual([{ key: 't', value: 'v' }]);
    expect(all.roles.map((r) => r.role.name)).toEqual(['r']);
    expect(all.localPolicies.map((p) => [p.policy.name, p.versions.map((v) => v.versionId)])).toEqual([['local', ['v1']]]);
    expect(all.awsPolicies.map((p) => [p.policy.name, p.policy.attachmentCount])).toEqual([['ReadOnlyAccess', 1]]);
    expect(all.awsPolicies[0]!.versions[0]!.document).toContain('"Statement"');
    expect(all.isTruncated).toBe(false);

    const onlyGroups = await getAccountAuthorizationDetails(f.deps, { filter: ['Group'] }, f.root());
    expect([onlyGroups.users.length, onlyGroups.groups.length, onlyGroups.roles.length, onlyGroups.localPolicies.length]).toEqual([0, 1, 0, 0]);

    // One item per page walks every section in order and ends without an empty last page.
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await getAccountAuthorizationDetails(f.deps, { maxItems: 1, ...(marker ? { marker } : {}) }, f.root());
      pages++;
      seen.push(...page.users.map((u) => `user:${u.user.name}`), ...page.groups.map((g) => `group:${g.group.name}`), ...page.roles.map((r) => `role:${r.role.name}`),
        ...page.localPolicies.map((p) => `local:${p.policy.name}`), ...page.awsPolicies.map((p) => `aws:${p.policy.name}`));
      marker = page.isTruncated ? page.marker : undefined;
    } while (marker);
    const users = all.users.map((u) => `user:${u.user.name}`);
    expect(seen).toEqual([...users, 'group:g1', 'role:r', 'local:local', 'aws:ReadOnlyAccess']);
    expect(pages).toBe(seen.length);
    expect(await failure(() => getAccountAuthorizationDetails(f.deps, { marker: 'bogus' }, f.root()))).toMatchObject({ code: 'InvalidInput' });
  });
});
