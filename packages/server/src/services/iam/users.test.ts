import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../store/testing.js';
import { addUserToGroup, createGroup } from './groups.js';
import { createAccessKey } from './access-keys.js';
import { createLoginProfile } from './login-profiles.js';
import { createVirtualMfaDevice, deactivateMfaDevice, enableMfaDevice } from './mfa-devices.js';
import { createServiceSpecificCredential } from './service-specific-credentials.js';
import { codeAt, timeStep } from './totp.js';
import { uploadSigningCertificate } from './signing-certificates.js';
import { uploadSshPublicKey } from './ssh-public-keys.js';
import { selfSignedCertificate, sshKey } from './test-credential-material.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { createUser, deleteUser, getUser, listUsers, listUserTags, tagUser, untagUser, updateUser } from './users.js';

describe.each(testDialects())('users (%s)', (dialect) => {
  let f: IdentityFixture;
  // Opening a store and loading the catalogue can be slow while the whole suite runs.
  beforeAll(async () => {
    f = await identityFixture(dialect);
  }, 60_000);
  afterAll(() => f?.dispose());

  it('creates a user with AWS id prefix, ARN with path, tags in order', async () => {
    const { user, tags } = await createUser(f.deps, { userName: 'Alice', path: '/eng/', tags: [{ key: 'team', value: 'a' }, { key: 'Env', value: 'prod' }] }, f.root());
    expect(user.id).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(user.arn).toBe(`arn:aws:iam::${ACCOUNT_ID}:user/eng/Alice`);
    expect(user.path).toBe('/eng/');
    expect(user.createDate.toISOString()).toBe('2026-05-06T07:08:09.000Z');
    expect(tags).toEqual([{ key: 'team', value: 'a' }, { key: 'Env', value: 'prod' }]);
    const got = await getUser(f.deps, { userName: 'alice' }, f.root());
    expect('user' in got && got.user.name).toBe('Alice');
    expect('tags' in got && got.tags).toEqual(tags);
  });

  it.each([
    { name: 'duplicate name in any case', input: { userName: 'ALICE' }, code: 'EntityAlreadyExists', message: 'User with name ALICE already exists.' },
    { name: 'duplicate tag keys', input: { userName: 'x1', tags: [{ key: 'a', value: '1' }, { key: 'A', value: '2' }] }, code: 'InvalidInput', message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.' },
    { name: 'reserved tag prefix', input: { userName: 'x2', tags: [{ key: 'aws:x', value: '1' }] }, code: 'InvalidInput', message: /reserved/ },
    { name: 'unknown boundary policy', input: { userName: 'x3', permissionsBoundary: `arn:aws:iam::${ACCOUNT_ID}:policy/nope` }, code: 'NoSuchEntity', message: `Scope ARN: arn:aws:iam::${ACCOUNT_ID}:policy/nope does not exist or is not attachable.` },
    { name: 'boundary that is not a policy ARN', input: { userName: 'x4', permissionsBoundary: 'arn:aws:iam::123456789012:user/bob' }, code: 'InvalidInput', message: 'ARN arn:aws:iam::123456789012:user/bob is not valid.' },
  ])('CreateUser refuses $name', async ({ input, code, message }) => {
    const err = await failure(() => createUser(f.deps, input, f.root()));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    if (input.userName !== 'ALICE') expect(await f.t.store.getUserByName(ACCOUNT_ID, input.userName)).toBeUndefined();
  });

  it('accepts an existing customer managed policy as boundary', async () => {
    const arn = `arn:aws:iam::${ACCOUNT_ID}:policy/boundary`;
    await f.t.store.createPolicy({ accountId: ACCOUNT_ID, id: 'ANPABOUNDARY00000001', name: 'boundary', path: '/', arn, document: '{"Version":"2012-10-17","Statement":[]}', createDate: new Date() });
    const { user } = await createUser(f.deps, { userName: 'bounded', permissionsBoundary: arn }, f.root());
    expect(user.permissionsBoundaryArn).toBe(arn);
  });

  it('GetUser without a name answers the caller: an IAM user, the root, never a session', async () => {
    const { user } = await createUser(f.deps, { userName: 'self' }, f.root());
    const mine = await getUser(f.deps, {}, f.as(user));
    expect('user' in mine && mine.user.id).toBe(user.id);
    const root = await getUser(f.deps, {}, f.root());
    expect(root).toEqual({ root: true, accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:root`, createDate: new Date('2026-01-01T00:00:00Z') });
    const session = f.ctx({ type: 'AssumedRole', accountId: ACCOUNT_ID, arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/r/s`, principalId: 'AROAX:s', mfaAuthenticated: false, session: { issuerArn: 'arn:aws:iam::123456789012:role/r', issuerType: 'Role', issuerName: 'r', issuerPrincipalId: 'AROAX', createdAt: new Date(), expiresAt: new Date(), mfaAuthenticated: false } });
    expect(await failure(() => getUser(f.deps, {}, session))).toEqual({ code: 'ValidationError', message: 'Must specify userName when calling with non-User credentials' });
    expect(await failure(() => getUser(f.deps, { userName: 'ghost' }, f.root()))).toEqual({ code: 'NoSuchEntity', message: 'The user with name ghost cannot be found.' });
  });

  it('lists by name case-insensitively, filters by path prefix, pages with Marker/MaxItems', async () => {
    for (const n of ['p-b', 'P-a', 'p-c']) await createUser(f.deps, { userName: n, path: '/paging/' }, f.root());
    const first = await listUsers(f.deps, { pathPrefix: '/paging/', maxItems: 2 }, f.root());
    expect(first.items.map((u) => u.name)).toEqual(['P-a', 'p-b']);
    expect(first.isTruncated).toBe(true);
    const second = await listUsers(f.deps, { pathPrefix: '/paging/', maxItems: 2, marker: first.marker }, f.root());
    expect(second.items.map((u) => u.name)).toEqual(['p-c']);
    expect(second.isTruncated).toBe(false);
    expect(await failure(() => listUsers(f.deps, { marker: 'garbage' }, f.root()))).toMatchObject({ code: 'InvalidInput' });
  });

  it('renames and moves a user; the ARN follows; a taken name is refused', async () => {
    await createUser(f.deps, { userName: 'old', tags: [{ key: 'k', value: 'v' }] }, f.root());
    await createUser(f.deps, { userName: 'taken' }, f.root());
    const moved = await updateUser(f.deps, { userName: 'old', newUserName: 'new', newPath: '/moved/' }, f.root());
    expect(moved.arn).toBe(`arn:aws:iam::${ACCOUNT_ID}:user/moved/new`);
    expect((await listUserTags(f.deps, { userName: 'new' }, f.root())).items).toEqual([{ key: 'k', value: 'v' }]);
    expect(await failure(() => updateUser(f.deps, { userName: 'new', newUserName: 'TAKEN' }, f.root()))).toEqual({ code: 'EntityAlreadyExists', message: 'User with name TAKEN already exists.' });
    // A case-only rename of the same user is allowed.
    expect((await updateUser(f.deps, { userName: 'new', newUserName: 'New' }, f.root())).name).toBe('New');
    expect(await failure(() => updateUser(f.deps, { userName: 'old' }, f.root()))).toMatchObject({ code: 'NoSuchEntity' });
  });

  it('tags: overwrite by key in any case, untag ignores absent keys, at most 50', async () => {
    await createUser(f.deps, { userName: 'tagged' }, f.root());
    await tagUser(f.deps, { userName: 'tagged', tags: [{ key: 'Team', value: 'a' }, { key: 'x', value: '1' }] }, f.root());
    await tagUser(f.deps, { userName: 'tagged', tags: [{ key: 'team', value: 'b' }] }, f.root());
    expect((await listUserTags(f.deps, { userName: 'tagged' }, f.root())).items).toEqual([{ key: 'team', value: 'b' }, { key: 'x', value: '1' }]);
    await untagUser(f.deps, { userName: 'tagged', tagKeys: ['X', 'absent'] }, f.root());
    expect((await listUserTags(f.deps, { userName: 'tagged' }, f.root())).items).toEqual([{ key: 'team', value: 'b' }]);
    const many = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect(await failure(() => tagUser(f.deps, { userName: 'tagged', tags: many }, f.root()))).toEqual({ code: 'LimitExceeded', message: 'Cannot exceed quota for TagsPerUser: 50' });
    const page = await listUserTags(f.deps, { userName: 'tagged', maxItems: 1 }, f.root());
    expect(page.isTruncated).toBe(false);
  });

  // Each text is AWS's answer as its users recorded it (AWS documents only that the message describes
  // the entities): login profile cloud-custodian/cloud-custodian#1663, access keys
  // aws-controllers-k8s/community#2229, certificates rebuy-de/aws-nuke#671, SSH keys and service-specific
  // credentials as "referenced objects" aws-nuke#522 and pull request #308, inline policies
  // simonw/s3-credentials#10, groups mozilla-services/userplex#17 and hashicorp/terraform#3774.
  // The steps come in the order of AWS's DeleteUser reference: password, access keys, signing
  // certificate, SSH public key, Git credentials, MFA device, inline policies, attached policies, groups.
  it('DeleteUser answers each DeleteConflict with AWS wording until the user is bare', async () => {
    const { user } = await createUser(f.deps, { userName: 'busy', tags: [{ key: 'a', value: 'b' }] }, f.root());
    await createLoginProfile(f.deps, { userName: 'busy', password: 'Str0ng-Passw0rd!' }, f.root());
    const key = await createAccessKey(f.deps, { userName: 'busy' }, f.root());
    // The certificate is valid from now on: upload it at the real time, not the fixture's.
    const cert = await uploadSigningCertificate(f.deps, { userName: 'busy', body: selfSignedCertificate('busy').cert }, f.root(new Date()));
    const ssh = await uploadSshPublicKey(f.deps, { userName: 'busy', body: sshKey().openssh }, f.root());
    const git = await createServiceSpecificCredential(f.deps, { userName: 'busy', serviceName: 'codecommit.amazonaws.com' }, f.root());
    const now = new Date();
    const mfa = await createVirtualMfaDevice(f.deps, { name: 'busy' }, f.root(now));
    await enableMfaDevice(f.deps, { userName: 'busy', serialNumber: mfa.serialNumber, authenticationCode1: codeAt(mfa.base32StringSeed, timeStep(now) - 1), authenticationCode2: codeAt(mfa.base32StringSeed, timeStep(now)) }, f.root(now));
    await f.t.store.putInlinePolicy({ accountId: ACCOUNT_ID, entity: { kind: 'user', id: user.id }, name: 'inline', document: '{}' });
    await f.t.store.attachPolicy({ accountId: ACCOUNT_ID, entity: { kind: 'user', id: user.id }, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    await createGroup(f.deps, { groupName: 'busy-group' }, f.root());
    await addUserToGroup(f.deps, { groupName: 'busy-group', userName: 'busy' }, f.root());

    const steps: Array<{ message: string; clear: () => Promise<unknown> }> = [
      { message: 'Cannot delete entity, must delete login profile first.', clear: () => f.t.store.deleteLoginProfile(user.id) },
      { message: 'Cannot delete entity, must delete access keys first.', clear: () => f.t.store.deleteAccessKey(key.accessKeyId) },
      { message: 'Cannot delete entity, must delete certificates first.', clear: () => f.t.store.deleteSigningCertificate(cert.id) },
      { message: 'Cannot delete entity, must remove referenced objects first.', clear: () => f.t.store.deleteSshPublicKey(ssh.id) },
      { message: 'Cannot delete entity, must remove referenced objects first.', clear: () => f.t.store.deleteServiceSpecificCredential(git.id) },
      // The MFA device after the credentials, as AWS's DeleteUser reference lists the steps
      { message: 'Cannot delete entity, must delete MFA device first.', clear: () => deactivateMfaDevice(f.deps, { userName: 'busy', serialNumber: mfa.serialNumber }, f.root()) },
      { message: 'Cannot delete entity, must delete policies first.', clear: () => f.t.store.deleteInlinePolicy({ kind: 'user', id: user.id }, 'inline') },
      { message: 'Cannot delete entity, must detach all policies first.', clear: () => f.t.store.detachPolicy({ entity: { kind: 'user', id: user.id }, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }) },
      { message: 'Cannot delete entity, must remove users from group first.', clear: async () => f.t.store.removeUserFromGroup({ groupId: (await f.t.store.getGroupByName(ACCOUNT_ID, 'busy-group'))!.id, userId: user.id }) },
    ];
    for (const step of steps) {
      expect(await failure(() => deleteUser(f.deps, { userName: 'busy' }, f.root()))).toEqual({ code: 'DeleteConflict', message: step.message });
      await step.clear();
    }
    await deleteUser(f.deps, { userName: 'busy' }, f.root());
    expect(await f.t.store.getUserByName(ACCOUNT_ID, 'busy')).toBeUndefined();
    expect(await failure(() => deleteUser(f.deps, { userName: 'busy' }, f.root()))).toEqual({ code: 'NoSuchEntity', message: 'The user with name busy cannot be found.' });
  });
});
