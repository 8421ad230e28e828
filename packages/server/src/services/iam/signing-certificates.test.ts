import { testDialects } from '../../store/testing.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAccountSummary } from './account.js';
import { deleteSigningCertificate, listSigningCertificates, updateSigningCertificate, uploadSigningCertificate } from './signing-certificates.js';
import { selfSignedCertificate } from './test-credential-material.js';
import { failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { createUser, deleteUser } from './users.js';

// Certificates are made at test time with real validity dates, so requests are dated an hour from now.
const NOW = new Date(Date.now() + 3_600_000);

describe.each(testDialects())('signing certificates (%s)', (dialect) => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture(dialect);
  }, 60_000);
  afterAll(() => f?.dispose());

  it('uploads PEM certificates valid now, 2 per user, each once per account', async () => {
    await createUser(f.deps, { userName: 'signer' }, f.root(NOW));
    await createUser(f.deps, { userName: 'other' }, f.root(NOW));
    const a = selfSignedCertificate('a');
    const up = await uploadSigningCertificate(f.deps, { userName: 'signer', body: a.cert }, f.root(NOW));
    expect(up).toMatchObject({ userName: 'signer', body: a.cert.trim(), status: 'Active', uploadDate: f.root(NOW).now });
    expect(up.id).toMatch(/^[A-Z2-7]{32}$/);
    expect(await failure(() => uploadSigningCertificate(f.deps, { userName: 'other', body: a.cert }, f.root(NOW))))
      .toEqual({ code: 'DuplicateCertificate', message: 'The same certificate is already associated with an IAM user or the root user in this account.' });
    await uploadSigningCertificate(f.deps, { userName: 'signer', body: selfSignedCertificate('b').cert }, f.root(NOW));
    expect(await failure(() => uploadSigningCertificate(f.deps, { userName: 'signer', body: selfSignedCertificate('c').cert }, f.root(NOW))))
      .toEqual({ code: 'LimitExceeded', message: 'Cannot exceed quota for SigningCertificatesPerUser: 2' });
    expect((await listSigningCertificates(f.deps, { userName: 'signer' }, f.root(NOW))).items.map((c) => c.body)).toContain(a.cert.trim());
  });

  it.each([
    ['not PEM', 'hello', /Unable to parse certificate/],
    ['a private key', selfSignedCertificate().key, /Unable to parse certificate/],
    ['two certificates', selfSignedCertificate().cert + selfSignedCertificate().cert, /Unable to parse certificate/],
    ['a damaged certificate', selfSignedCertificate().cert.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA'), /Unable to parse certificate/],
  ])('refuses %s as MalformedCertificate', async (_name, body, message) => {
    const e = await failure(() => uploadSigningCertificate(f.deps, { body }, f.root(NOW)));
    expect(e.code).toBe('MalformedCertificate');
    expect(e.message).toMatch(message);
  });

  it('refuses an expired certificate (and one not valid yet) as MalformedCertificate', async () => {
    const { cert } = selfSignedCertificate('short', 1);
    const later = new Date(Date.now() + 3 * 86_400_000);
    expect(await failure(() => uploadSigningCertificate(f.deps, { body: cert }, f.root(later)))).toMatchObject({ code: 'MalformedCertificate', message: expect.stringMatching(/not valid at the current time/) });
    const earlier = new Date(Date.now() - 86_400_000);
    expect(await failure(() => uploadSigningCertificate(f.deps, { body: cert }, f.root(earlier)))).toMatchObject({ code: 'MalformedCertificate' });
  });

  it("the root's own certificates without UserName, counted by GetAccountSummary; update and delete by owner", async () => {
    const now = NOW;
    const before = await getAccountSummary(f.deps, {}, f.root(now));
    expect(before['AccountSigningCertificatesPresent']).toBe(0);
    const rootCert = await uploadSigningCertificate(f.deps, { body: selfSignedCertificate('root').cert }, f.root(now));
    expect(rootCert.userName).toBeUndefined();
    expect((await getAccountSummary(f.deps, {}, f.root(now)))['AccountSigningCertificatesPresent']).toBe(1);
    expect((await listSigningCertificates(f.deps, {}, f.root(now))).items.map((c) => c.id)).toEqual([rootCert.id]);
    const { user } = await createUser(f.deps, { userName: 'holder' }, f.root(now));
    const mine = await uploadSigningCertificate(f.deps, { body: selfSignedCertificate('mine').cert }, f.as(user, now));
    const missing = { code: 'NoSuchEntity', message: `The Certificate with id ${rootCert.id} cannot be found.` };
    expect(await failure(() => updateSigningCertificate(f.deps, { certificateId: rootCert.id, status: 'Inactive' }, f.as(user, now)))).toEqual(missing);
    await updateSigningCertificate(f.deps, { certificateId: mine.id, status: 'Inactive' }, f.as(user, now));
    expect((await listSigningCertificates(f.deps, { userName: 'holder' }, f.root(now))).items[0]?.status).toBe('Inactive');
    expect(await failure(() => deleteUser(f.deps, { userName: 'holder' }, f.root(now))))
      .toEqual({ code: 'DeleteConflict', message: 'Cannot delete entity, must delete certificates first.' });
    await deleteSigningCertificate(f.deps, { userName: 'holder', certificateId: mine.id }, f.root(now));
    await deleteSigningCertificate(f.deps, { certificateId: rootCert.id }, f.root(now));
    expect(await failure(() => deleteSigningCertificate(f.deps, { certificateId: rootCert.id }, f.root(now)))).toEqual(missing);
    await deleteUser(f.deps, { userName: 'holder' }, f.root(now));
  });
});
