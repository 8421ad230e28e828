import { verify } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../store/testing.js';
import {
  createServiceSpecificCredential,
  deleteServiceSpecificCredential,
  listServiceSpecificCredentials,
  resetServiceSpecificCredential,
  updateServiceSpecificCredential,
} from './service-specific-credentials.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { createUser, deleteUser } from './users.js';

describe.each(testDialects())('service-specific credentials (%s)', (dialect) => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture(dialect);
  }, 60_000);
  afterAll(() => f?.dispose());

  it('creates <user>-at-<account> with a password shown once and stored as an argon2id hash; 2 per service', async () => {
    await createUser(f.deps, { userName: 'git' }, f.root());
    const c = await createServiceSpecificCredential(f.deps, { userName: 'git', serviceName: 'codecommit.amazonaws.com' }, f.root());
    expect(c).toMatchObject({ userName: 'git', serviceName: 'codecommit.amazonaws.com', serviceUserName: `git-at-${ACCOUNT_ID}`, status: 'Active' });
    expect(c.id).toMatch(/^ACCA[A-Z2-7]{17}$/);
    expect(c.servicePassword).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(await f.t.rawDatabaseContains(c.servicePassword)).toBe(false);
    const row = await f.t.store.getServiceSpecificCredential(c.id);
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verify(row!.passwordHash, c.servicePassword)).toBe(true);
    await createServiceSpecificCredential(f.deps, { userName: 'git', serviceName: 'codecommit.amazonaws.com' }, f.root());
    expect(await failure(() => createServiceSpecificCredential(f.deps, { userName: 'git', serviceName: 'codecommit.amazonaws.com' }, f.root())))
      .toEqual({ code: 'LimitExceeded', message: 'Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2' });
    await createServiceSpecificCredential(f.deps, { userName: 'git', serviceName: 'cassandra.amazonaws.com' }, f.root());
    const listed = await listServiceSpecificCredentials(f.deps, { userName: 'git' }, f.root());
    expect(listed.map((l) => l.serviceName).sort()).toEqual(['cassandra.amazonaws.com', 'codecommit.amazonaws.com', 'codecommit.amazonaws.com']);
    expect(JSON.stringify(listed)).not.toContain(c.servicePassword);
    expect(await listServiceSpecificCredentials(f.deps, { userName: 'git', serviceName: 'cassandra.amazonaws.com' }, f.root())).toHaveLength(1);
  });

  it('refuses unsupported services and unknown users', async () => {
    await createUser(f.deps, { userName: 'nosvc' }, f.root());
    expect(await failure(() => createServiceSpecificCredential(f.deps, { userName: 'nosvc', serviceName: 's3.amazonaws.com' }, f.root())))
      .toEqual({ code: 'NotSupportedService', message: 'The service s3.amazonaws.com is not supported for service-specific credentials.' });
    expect(await failure(() => createServiceSpecificCredential(f.deps, { userName: 'ghost', serviceName: 'codecommit.amazonaws.com' }, f.root())))
      .toMatchObject({ code: 'NoSuchEntity' });
  });

  it('resets the password (the old one no longer verifies), updates status, deletes; blocks DeleteUser while present', async () => {
    const { user } = await createUser(f.deps, { userName: 'rot' }, f.root());
    const c = await createServiceSpecificCredential(f.deps, { userName: 'rot', serviceName: 'codecommit.amazonaws.com' }, f.root());
    const reset = await resetServiceSpecificCredential(f.deps, { serviceSpecificCredentialId: c.id }, f.as(user));
    expect(reset.servicePassword).not.toBe(c.servicePassword);
    const hash = (await f.t.store.getServiceSpecificCredential(c.id))!.passwordHash;
    expect(await verify(hash, reset.servicePassword)).toBe(true);
    expect(await verify(hash, c.servicePassword)).toBe(false);
    await updateServiceSpecificCredential(f.deps, { userName: 'rot', serviceSpecificCredentialId: c.id, status: 'Inactive' }, f.root());
    expect((await listServiceSpecificCredentials(f.deps, {}, f.as(user)))[0]?.status).toBe('Inactive');
    expect(await listServiceSpecificCredentials(f.deps, {}, f.root())).toEqual([]);
    await createUser(f.deps, { userName: 'else' }, f.root());
    const missing = { code: 'NoSuchEntity', message: `The Service Specific Credential with id ${c.id} cannot be found.` };
    expect(await failure(() => deleteServiceSpecificCredential(f.deps, { userName: 'else', serviceSpecificCredentialId: c.id }, f.root()))).toEqual(missing);
    expect(await failure(() => deleteUser(f.deps, { userName: 'rot' }, f.root())))
      .toEqual({ code: 'DeleteConflict', message: 'Cannot delete entity, must remove referenced objects first.' });
    await deleteServiceSpecificCredential(f.deps, { userName: 'rot', serviceSpecificCredentialId: c.id }, f.root());
    expect(await failure(() => resetServiceSpecificCredential(f.deps, { userName: 'rot', serviceSpecificCredentialId: c.id }, f.root()))).toEqual(missing);
    await deleteUser(f.deps, { userName: 'rot' }, f.root());
  });
});
