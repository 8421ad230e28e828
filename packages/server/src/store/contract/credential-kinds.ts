import { beforeEach, describe, expect } from 'vitest';
import { StoreConflictError, StoreReferenceError } from '../store-errors.js';
import type { Store } from '../store.js';
import type { TestStore } from '../testing.js';
import { ACCOUNT, OTHER_ACCOUNT, allPages, at, newUser, settle, uid, type ContractScope } from './fixtures.js';

/** The store contract: SSH public keys, signing and server certificates, service-specific credentials. */
export function credentialKindContract({ test, current }: ContractScope): void {
  describe('SSH keys, certificates and service-specific credentials', () => {
    let t: TestStore;
    let store: Store;
    beforeEach(() => { t = current(); store = t.store; });

    test('SSH public keys: create, list in upload order, status, delete; a fingerprint once per user; 5 per user', async () => {
      const u = await store.createUser(newUser('u'));
      const v = await store.createUser(newUser('v'));
      const key = (i: number, userId = u.id) => ({ accountId: ACCOUNT, id: uid('APKA'), userId, body: `ssh-rsa AAAA${i}`, fingerprint: `fp:${i}`, status: 'Active' as const, uploadDate: at(i) });
      const first = key(1);
      expect(await store.createSshPublicKey(first)).toEqual(first);
      await expect(store.createSshPublicKey({ ...key(9), fingerprint: 'fp:1' })).rejects.toBeInstanceOf(StoreConflictError);
      // Another user may hold the same key.
      await store.createSshPublicKey({ ...key(1, v.id) });
      const { ok, errors } = await settle([2, 3, 4, 5, 6, 7].map((i) => store.createSshPublicKey(key(i))));
      expect(ok).toHaveLength(4);
      for (const e of errors) expect(e).toMatchObject({ kind: 'limit', quota: 'sshPublicKeysPerUser', limit: 5 });
      const { items } = await allPages((r) => store.listSshPublicKeys({ userId: u.id, ...r }), 2);
      expect(items.map((k) => k.fingerprint)).toEqual(ok.map((k) => k.fingerprint).concat('fp:1').sort((a, b) => Number(a.slice(3)) - Number(b.slice(3))));
      expect(await store.updateSshPublicKeyStatus(first.id, 'Inactive')).toBe(true);
      expect((await store.getSshPublicKey(first.id))?.status).toBe('Inactive');
      expect(await store.updateSshPublicKeyStatus('APKANOPE', 'Inactive')).toBe(false);
      expect(await store.deleteSshPublicKey(first.id)).toBe(true);
      expect(await store.deleteSshPublicKey(first.id)).toBe(false);
      await expect(store.createSshPublicKey(key(1, 'AIDANOPE'))).rejects.toBeInstanceOf(StoreReferenceError);
      // A user with a key cannot be deleted.
      await expect(store.deleteUser(v.id)).rejects.toBeInstanceOf(StoreReferenceError);
    });

    test('signing certificates: per owner (user or root), 2 each, a certificate once per account', async () => {
      const u = await store.createUser(newUser('u'));
      const cert = (i: number, owner: { kind: 'user'; userId: string } | { kind: 'root' }, accountId = ACCOUNT) =>
        ({ accountId, id: uid('CERT'), owner, body: `PEM${i}`, fingerprint: `sha:${i}`, status: 'Active' as const, uploadDate: at(i) });
      const user = { kind: 'user', userId: u.id } as const;
      const a = await store.createSigningCertificate(cert(1, user));
      expect(await store.getSigningCertificate(a.id)).toEqual(a);
      await expect(store.createSigningCertificate(cert(1, { kind: 'root' }))).rejects.toBeInstanceOf(StoreConflictError);
      // The same certificate in another account is another row.
      await store.createSigningCertificate(cert(1, { kind: 'root' }, OTHER_ACCOUNT));
      await store.createSigningCertificate(cert(2, user));
      await expect(store.createSigningCertificate(cert(3, user))).rejects.toMatchObject({ kind: 'limit', quota: 'signingCertificatesPerUser', limit: 2 });
      await store.createSigningCertificate(cert(3, { kind: 'root' }));
      expect((await store.listSigningCertificates({ accountId: ACCOUNT, owner: user })).items.map((c) => c.fingerprint)).toEqual(['sha:1', 'sha:2']);
      expect((await store.listSigningCertificates({ accountId: ACCOUNT, owner: { kind: 'root' } })).items.map((c) => c.fingerprint)).toEqual(['sha:3']);
      const { pages } = await allPages((r) => store.listSigningCertificates({ accountId: ACCOUNT, owner: user, ...r }), 1);
      expect(pages).toHaveLength(2);
      expect(await store.updateSigningCertificateStatus(a.id, 'Inactive')).toBe(true);
      expect((await store.getSigningCertificate(a.id))?.status).toBe('Inactive');
      await expect(store.deleteUser(u.id)).rejects.toBeInstanceOf(StoreReferenceError);
      expect(await store.deleteSigningCertificate(a.id)).toBe(true);
      expect(await store.deleteSigningCertificate(a.id)).toBe(false);
    });

    test('server certificates: names unique per account ignoring case, path listing, rename, tags, quota; the key sealed', async () => {
      const privateKey = `-----BEGIN PRIVATE KEY-----${uid('KEY')}-----END PRIVATE KEY-----`;
      const cert = (name: string, path = '/', accountId = ACCOUNT) => ({
        accountId, id: uid('ASCA'), name, path, arn: `arn:aws:iam::${accountId}:server-certificate${path}${name}`,
        body: `BODY-${name}`, privateKey, expiration: at(1000), uploadDate: at(1),
      });
      const { privateKey: _k, ...expected } = cert('web');
      const web = await store.createServerCertificate({ ...expected, id: expected.id, privateKey });
      expect(web).toEqual(expected);
      expect(web).not.toHaveProperty('privateKey');
      expect(await t.rawDatabaseContains(web.id)).toBe(true);
      expect(await t.rawDatabaseContains(privateKey)).toBe(false);
      await expect(store.createServerCertificate(cert('WEB'))).rejects.toBeInstanceOf(StoreConflictError);
      await store.createServerCertificate(cert('web', '/', OTHER_ACCOUNT));
      await store.createServerCertificate({ ...cert('api', '/cloudfront/'), chain: 'CHAIN' });
      expect((await store.getServerCertificateByName(ACCOUNT, 'API'))?.chain).toBe('CHAIN');
      expect((await store.listServerCertificates({ accountId: ACCOUNT })).items.map((c) => c.name)).toEqual(['api', 'web']);
      expect((await store.listServerCertificates({ accountId: ACCOUNT, pathPrefix: '/cloudfront' })).items.map((c) => c.name)).toEqual(['api']);
      expect(await store.countServerCertificates(ACCOUNT)).toBe(2);
      await expect(store.createServerCertificate(cert('third'), { maxPerAccount: 2 })).rejects.toMatchObject({ kind: 'limit', quota: 'serverCertificatesPerAccount', limit: 2 });
      await expect(store.updateServerCertificate(web.id, { name: 'Api', path: '/', arn: 'x' })).rejects.toBeInstanceOf(StoreConflictError);
      const moved = await store.updateServerCertificate(web.id, { name: 'www', path: '/p/', arn: `arn:aws:iam::${ACCOUNT}:server-certificate/p/www` });
      expect(moved).toMatchObject({ id: web.id, name: 'www', path: '/p/' });
      expect(await store.getServerCertificateByName(ACCOUNT, 'web')).toBeUndefined();
      await store.putTags({ kind: 'server-certificate', id: web.id }, [{ key: 'Env', value: 'prod' }, { key: 'env', value: 'dev' }]);
      expect((await store.listTags({ kind: 'server-certificate', id: web.id })).items).toEqual([{ key: 'Env', value: 'prod' }, { key: 'env', value: 'dev' }]);
      expect(await store.deleteServerCertificate(web.id)).toBe(true);
      expect(await store.deleteServerCertificate(web.id)).toBe(false);
      expect((await store.listTags({ kind: 'server-certificate', id: web.id })).items).toEqual([]);
    });

    test('service-specific credentials: 2 per service per user, list by service, reset and status, delete', async () => {
      const u = await store.createUser(newUser('u'));
      const cred = (serviceName: string, i: number) => ({
        accountId: ACCOUNT, id: uid('ACCA'), userId: u.id, serviceName, serviceUserName: `u-at-${ACCOUNT}`, passwordHash: `$argon2id$${i}`, status: 'Active' as const, createDate: at(i),
      });
      const a = await store.createServiceSpecificCredential(cred('codecommit.amazonaws.com', 1));
      await store.createServiceSpecificCredential(cred('codecommit.amazonaws.com', 2));
      await expect(store.createServiceSpecificCredential(cred('codecommit.amazonaws.com', 3)))
        .rejects.toMatchObject({ kind: 'limit', quota: 'serviceSpecificCredentialsPerService', limit: 2 });
      await store.createServiceSpecificCredential(cred('cassandra.amazonaws.com', 4));
      expect((await store.listServiceSpecificCredentials({ userId: u.id })).map((c) => c.createDate)).toEqual([at(1), at(2), at(4)]);
      expect(await store.listServiceSpecificCredentials({ userId: u.id, serviceName: 'cassandra.amazonaws.com' })).toHaveLength(1);
      expect(await store.updateServiceSpecificCredential(a.id, { passwordHash: '$argon2id$new', status: 'Inactive' }))
        .toEqual({ ...a, passwordHash: '$argon2id$new', status: 'Inactive' });
      expect(await store.updateServiceSpecificCredential('ACCANOPE', { status: 'Active' })).toBeUndefined();
      await expect(store.deleteUser(u.id)).rejects.toBeInstanceOf(StoreReferenceError);
      expect(await store.deleteServiceSpecificCredential(a.id)).toBe(true);
      expect(await store.deleteServiceSpecificCredential(a.id)).toBe(false);
      expect(await store.getServiceSpecificCredential(a.id)).toBeUndefined();
    });
  });
}
