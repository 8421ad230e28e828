import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../store/testing.js';
import { deleteSshPublicKey, getSshPublicKey, listSshPublicKeys, updateSshPublicKey, uploadSshPublicKey } from './ssh-public-keys.js';
import { failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { sshKey } from './test-credential-material.js';
import { createUser, deleteUser } from './users.js';

describe.each(testDialects())('SSH public keys (%s)', (dialect) => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture(dialect);
  }, 60_000);
  afterAll(() => f?.dispose());

  it('uploads APKA keys with their fingerprint, gets them in either encoding, at most 5 per user, each once', async () => {
    await createUser(f.deps, { userName: 'dev' }, f.root());
    const key = sshKey();
    const up = await uploadSshPublicKey(f.deps, { userName: 'dev', body: key.openssh }, f.root());
    expect(up).toMatchObject({ userName: 'dev', fingerprint: key.md5, body: key.openssh, status: 'Active' });
    expect(up.id).toMatch(/^APKA[A-Z2-7]{16}$/);
    expect((await getSshPublicKey(f.deps, { userName: 'dev', sshPublicKeyId: up.id, encoding: 'PEM' }, f.root())).body).toBe(key.pem);
    expect((await getSshPublicKey(f.deps, { userName: 'dev', sshPublicKeyId: up.id, encoding: 'SSH' }, f.root())).body).toBe(key.openssh.split(' ').slice(0, 2).join(' '));
    // The same key in PEM is still the same key.
    expect(await failure(() => uploadSshPublicKey(f.deps, { userName: 'dev', body: key.pem }, f.root())))
      .toEqual({ code: 'DuplicateSSHPublicKey', message: 'The SSH public key is already associated with the specified IAM user.' });
    for (let i = 0; i < 4; i++) await uploadSshPublicKey(f.deps, { userName: 'dev', body: sshKey().pkcs1 }, f.root());
    expect(await failure(() => uploadSshPublicKey(f.deps, { userName: 'dev', body: sshKey().openssh }, f.root())))
      .toEqual({ code: 'LimitExceeded', message: 'Cannot exceed quota for SSHPublicKeysPerUser: 5' });
    const page = await listSshPublicKeys(f.deps, { userName: 'dev', maxItems: 3 }, f.root());
    expect(page.items).toHaveLength(3);
    expect(page.isTruncated).toBe(true);
    expect((await listSshPublicKeys(f.deps, { userName: 'dev', marker: page.marker }, f.root())).items).toHaveLength(2);
  });

  it('refuses bad keys and unknown users, changing nothing', async () => {
    await createUser(f.deps, { userName: 'careful' }, f.root());
    expect(await failure(() => uploadSshPublicKey(f.deps, { userName: 'careful', body: sshKey(1024).openssh }, f.root()))).toMatchObject({ code: 'InvalidPublicKey' });
    expect(await failure(() => uploadSshPublicKey(f.deps, { userName: 'careful', body: 'ssh-dss AAAA' }, f.root()))).toMatchObject({ code: 'UnrecognizedPublicKeyEncoding' });
    expect(await failure(() => uploadSshPublicKey(f.deps, { userName: 'nobody', body: sshKey().openssh }, f.root())))
      .toEqual({ code: 'NoSuchEntity', message: 'The user with name nobody cannot be found.' });
    expect((await listSshPublicKeys(f.deps, { userName: 'careful' }, f.root())).items).toEqual([]);
  });

  it("updates and deletes only the named user's keys; the caller's own list without a name; a user with keys cannot be deleted", async () => {
    const { user } = await createUser(f.deps, { userName: 'owner' }, f.root());
    await createUser(f.deps, { userName: 'stranger' }, f.root());
    const k = await uploadSshPublicKey(f.deps, { userName: 'owner', body: sshKey().openssh }, f.root());
    const missing = { code: 'NoSuchEntity', message: `The Public Key with id ${k.id} cannot be found.` };
    expect(await failure(() => updateSshPublicKey(f.deps, { userName: 'stranger', sshPublicKeyId: k.id, status: 'Inactive' }, f.root()))).toEqual(missing);
    expect(await failure(() => getSshPublicKey(f.deps, { userName: 'stranger', sshPublicKeyId: k.id, encoding: 'SSH' }, f.root()))).toEqual(missing);
    await updateSshPublicKey(f.deps, { userName: 'owner', sshPublicKeyId: k.id, status: 'Inactive' }, f.root());
    expect((await listSshPublicKeys(f.deps, {}, f.as(user))).items.map((i) => [i.id, i.status])).toEqual([[k.id, 'Inactive']]);
    expect((await listSshPublicKeys(f.deps, {}, f.root())).items).toEqual([]);
    expect(await failure(() => deleteUser(f.deps, { userName: 'owner' }, f.root())))
      .toEqual({ code: 'DeleteConflict', message: 'Cannot delete entity, must remove referenced objects first.' });
    expect(await failure(() => deleteSshPublicKey(f.deps, { userName: 'stranger', sshPublicKeyId: k.id }, f.root()))).toEqual(missing);
    await deleteSshPublicKey(f.deps, { userName: 'owner', sshPublicKeyId: k.id }, f.root());
    expect(await failure(() => deleteSshPublicKey(f.deps, { userName: 'owner', sshPublicKeyId: k.id }, f.root()))).toEqual(missing);
    await deleteUser(f.deps, { userName: 'owner' }, f.root());
  });
});
