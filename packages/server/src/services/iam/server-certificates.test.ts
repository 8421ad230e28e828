import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../store/testing.js';
import { getAccountSummary } from './account.js';
import {
  deleteServerCertificate,
  getServerCertificate,
  listServerCertificateTags,
  listServerCertificates,
  tagServerCertificate,
  untagServerCertificate,
  updateServerCertificate,
  uploadServerCertificate,
} from './server-certificates.js';
import { selfSignedCertificate, signedCertificate } from './test-credential-material.js';
import { failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';

// Certificates are made at test time with real validity dates, so requests are dated an hour from now.
const NOW = new Date(Date.now() + 3_600_000);

describe.each(testDialects())('server certificates (%s)', (dialect) => {
  let f: IdentityFixture;
  const leaf = signedCertificate();
  const self = selfSignedCertificate();
  beforeAll(async () => {
    f = await identityFixture(dialect);
  }, 60_000);
  afterAll(() => f?.dispose());

  it('uploads body, key and chain; the key is sealed at rest and never returned; Expiration from the certificate', async () => {
    const { metadata, tags } = await uploadServerCertificate(f.deps, {
      name: 'www', path: '/cloudfront/', body: leaf.cert, privateKey: leaf.key, chain: leaf.ca, tags: [{ key: 'env', value: 'prod' }],
    }, f.root(NOW));
    expect(metadata).toMatchObject({ name: 'www', path: '/cloudfront/', arn: 'arn:aws:iam::123456789012:server-certificate/cloudfront/www', uploadDate: NOW });
    expect(metadata.id).toMatch(/^ASCA[A-Z2-7]{17}$/);
    expect(metadata.expiration.getTime()).toBeGreaterThan(NOW.getTime() + 28 * 86_400_000);
    expect(tags).toEqual([{ key: 'env', value: 'prod' }]);
    const got = await getServerCertificate(f.deps, { name: 'WWW' }, f.root(NOW));
    expect(got).toMatchObject({ name: 'www', body: leaf.cert.trim(), chain: leaf.ca.trim(), tags: [{ key: 'env', value: 'prod' }] });
    expect(JSON.stringify(got)).not.toContain('PRIVATE KEY');
    const keyLine = leaf.key.split('\n')[1]!;
    expect(await f.t.rawDatabaseContains(keyLine)).toBe(false);
    expect(await f.t.rawDatabaseContains(metadata.id)).toBe(true);
    expect((await getAccountSummary(f.deps, {}, f.root(NOW)))['ServerCertificates']).toBe(1);
    expect(await failure(() => uploadServerCertificate(f.deps, { name: 'WWW', body: self.cert, privateKey: self.key }, f.root(NOW))))
      .toEqual({ code: 'EntityAlreadyExists', message: 'The Server Certificate with name WWW already exists.' });
  });

  it.each([
    ['a key of another certificate', () => ({ body: self.cert, privateKey: leaf.key }), 'KeyPairMismatch', /did not match/],
    ['a body that is not a certificate', () => ({ body: 'nope', privateKey: self.key }), 'MalformedCertificate', /Unable to parse certificate/],
    ['a key that is not a key', () => ({ body: self.cert, privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' }), 'MalformedCertificate', /private key/],
    ['a chain that did not sign the body', () => ({ body: leaf.cert, privateKey: leaf.key, chain: self.cert }), 'MalformedCertificate', /is: 0$/],
    ['a chain that is not PEM', () => ({ body: leaf.cert, privateKey: leaf.key, chain: 'garbage' }), 'MalformedCertificate', /is: -1$/],
  ])('refuses %s, storing nothing', async (_name, input, code, message) => {
    const e = await failure(() => uploadServerCertificate(f.deps, { name: 'bad', ...input() }, f.root(NOW)));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(await failure(() => getServerCertificate(f.deps, { name: 'bad' }, f.root(NOW))))
      .toEqual({ code: 'NoSuchEntity', message: 'The Server Certificate with name bad cannot be found.' });
  });

  it('refuses an expired certificate', async () => {
    const later = new Date(Date.now() + 60 * 86_400_000);
    expect(await failure(() => uploadServerCertificate(f.deps, { name: 'old', body: self.cert, privateKey: self.key }, f.root(later)))).toMatchObject({ code: 'MalformedCertificate' });
  });

  it('lists by path prefix with paging, renames and moves, tags, deletes with its tags', async () => {
    for (const name of ['a1', 'a2', 'a3']) await uploadServerCertificate(f.deps, { name, path: '/list/', body: self.cert, privateKey: self.key }, f.root(NOW));
    const first = await listServerCertificates(f.deps, { pathPrefix: '/list/', maxItems: 2 }, f.root(NOW));
    expect(first.items.map((c) => c.name)).toEqual(['a1', 'a2']);
    expect((await listServerCertificates(f.deps, { pathPrefix: '/list/', marker: first.marker }, f.root(NOW))).items.map((c) => c.name)).toEqual(['a3']);
    await updateServerCertificate(f.deps, { name: 'a1', newName: 'b1', newPath: '/moved/' }, f.root(NOW));
    expect((await getServerCertificate(f.deps, { name: 'b1' }, f.root(NOW))).arn).toBe('arn:aws:iam::123456789012:server-certificate/moved/b1');
    expect(await failure(() => updateServerCertificate(f.deps, { name: 'b1', newName: 'A2' }, f.root(NOW))))
      .toEqual({ code: 'EntityAlreadyExists', message: 'The Server Certificate with name A2 already exists.' });
    await tagServerCertificate(f.deps, { name: 'b1', tags: [{ key: 'team', value: 'web' }, { key: 'cost', value: '1' }] }, f.root(NOW));
    await untagServerCertificate(f.deps, { name: 'b1', tagKeys: ['cost', 'absent'] }, f.root(NOW));
    expect((await listServerCertificateTags(f.deps, { name: 'b1' }, f.root(NOW))).items).toEqual([{ key: 'team', value: 'web' }]);
    expect(await failure(() => tagServerCertificate(f.deps, { name: 'b1', tags: [{ key: 'aws:x', value: '1' }] }, f.root(NOW)))).toMatchObject({ code: 'InvalidInput' });
    await deleteServerCertificate(f.deps, { name: 'b1' }, f.root(NOW));
    expect(await failure(() => deleteServerCertificate(f.deps, { name: 'b1' }, f.root(NOW)))).toMatchObject({ code: 'NoSuchEntity' });
    expect(await failure(() => listServerCertificateTags(f.deps, { name: 'b1' }, f.root(NOW)))).toMatchObject({ code: 'NoSuchEntity' });
  });
});
