import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../store/testing.js';
import { getAccountSummary } from './account.js';
import {
  addClientIdToOidcProvider,
  createOidcProvider,
  deleteOidcProvider,
  getOidcProvider,
  listOidcProviderTags,
  listOidcProviders,
  removeClientIdFromOidcProvider,
  tagOidcProvider,
  untagOidcProvider,
  updateOidcProviderThumbprint,
} from './oidc-providers.js';
import { failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';

const NOW = new Date('2026-01-02T03:04:05Z');
const THUMB = '9e99a48a9960b14926bb7f3b02e22da2b0ab7280';
const ARN = 'arn:aws:iam::123456789012:oidc-provider/token.example.com/tenant';

describe.each(testDialects())('OIDC providers (%s)', (dialect) => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture(dialect);
  }, 60_000);
  afterAll(() => f?.dispose());

  it('creates, gets, lists, counts, updates client ids and thumbprints, tags, deletes', async () => {
    const created = await createOidcProvider(f.deps, {
      url: 'https://token.example.com/tenant', clientIds: ['app', 'app'], thumbprints: [THUMB], tags: [{ key: 'team', value: 'a' }],
    }, f.root(NOW));
    expect(created).toEqual({ arn: ARN, tags: [{ key: 'team', value: 'a' }] });
    expect(await getOidcProvider(f.deps, { arn: ARN }, f.root(NOW))).toEqual({
      arn: ARN, url: 'token.example.com/tenant', clientIds: ['app'], thumbprints: [THUMB], createDate: NOW, tags: [{ key: 'team', value: 'a' }],
    });
    expect(await listOidcProviders(f.deps, {}, f.root(NOW))).toEqual([ARN]);
    expect((await getAccountSummary(f.deps, {}, f.root(NOW)))['Providers']).toBe(1);
    expect(await failure(() => createOidcProvider(f.deps, { url: 'https://token.example.com/tenant' }, f.root(NOW))))
      .toEqual({ code: 'EntityAlreadyExists', message: 'Provider with url https://token.example.com/tenant already exists.' });

    await addClientIdToOidcProvider(f.deps, { arn: ARN, clientId: 'cli' }, f.root(NOW));
    await addClientIdToOidcProvider(f.deps, { arn: ARN, clientId: 'cli' }, f.root(NOW));
    await removeClientIdFromOidcProvider(f.deps, { arn: ARN, clientId: 'app' }, f.root(NOW));
    await removeClientIdFromOidcProvider(f.deps, { arn: ARN, clientId: 'absent' }, f.root(NOW));
    await updateOidcProviderThumbprint(f.deps, { arn: ARN, thumbprints: [] }, f.root(NOW));
    expect(await getOidcProvider(f.deps, { arn: ARN }, f.root(NOW))).toMatchObject({ clientIds: ['cli'], thumbprints: [] });

    await tagOidcProvider(f.deps, { arn: ARN, tags: [{ key: 'env', value: 'prod' }] }, f.root(NOW));
    await untagOidcProvider(f.deps, { arn: ARN, tagKeys: ['team'] }, f.root(NOW));
    expect((await listOidcProviderTags(f.deps, { arn: ARN }, f.root(NOW))).items).toEqual([{ key: 'env', value: 'prod' }]);
    // Keys compare case-sensitively here (only users' and roles' do not): in one call as in two.
    await tagOidcProvider(f.deps, { arn: ARN, tags: [{ key: 'Env', value: 'dev' }, { key: 'ENV', value: 'qa' }] }, f.root(NOW));
    expect((await listOidcProviderTags(f.deps, { arn: ARN }, f.root(NOW))).items.map((t) => t.key).sort()).toEqual(['ENV', 'Env', 'env']);
    expect(await failure(() => tagOidcProvider(f.deps, { arn: ARN, tags: [{ key: 'x', value: '1' }, { key: 'x', value: '2' }] }, f.root(NOW)))).toMatchObject({ code: 'InvalidInput', message: 'Duplicate tag keys found.' });
    await untagOidcProvider(f.deps, { arn: ARN, tagKeys: ['Env', 'ENV'] }, f.root(NOW));

    await deleteOidcProvider(f.deps, { arn: ARN }, f.root(NOW));
    const gone = { code: 'NoSuchEntity', message: `OpenIDConnect Provider not found for arn ${ARN}` };
    expect(await failure(() => deleteOidcProvider(f.deps, { arn: ARN }, f.root(NOW)))).toEqual(gone);
    expect(await failure(() => getOidcProvider(f.deps, { arn: ARN }, f.root(NOW)))).toEqual(gone);
    expect(await failure(() => tagOidcProvider(f.deps, { arn: ARN, tags: [{ key: 'k', value: 'v' }] }, f.root(NOW)))).toEqual(gone);
    expect((await getAccountSummary(f.deps, {}, f.root(NOW)))['Providers']).toBe(0);
  });

  it.each([
    ['an http URL', { url: 'http://idp.example.com' }, 'InvalidInput'],
    ['a URL with a port', { url: 'https://idp.example.com:8443' }, 'InvalidInput'],
    ['a URL with a query', { url: 'https://idp.example.com/?a=b' }, 'InvalidInput'],
    ['six thumbprints', { url: 'https://idp.example.com', thumbprints: ['1', '2', '3', '4', '5', '6'].map((d) => d.repeat(40)) }, 'InvalidInput'],
    ['a thumbprint that is not hex', { url: 'https://idp.example.com', thumbprints: ['z'.repeat(40)] }, 'InvalidInput'],
    ['101 client ids', { url: 'https://idp.example.com', clientIds: Array.from({ length: 101 }, (_, i) => `c${i}`) }, 'LimitExceeded'],
    ['a reserved tag key', { url: 'https://idp.example.com', tags: [{ key: 'aws:x', value: 'v' }] }, 'InvalidInput'],
  ])('refuses %s, storing nothing', async (_name, input, code) => {
    expect((await failure(() => createOidcProvider(f.deps, input, f.root(NOW)))).code).toBe(code);
    expect(await listOidcProviders(f.deps, {}, f.root(NOW))).toEqual([]);
  });

  it('refuses a 101st client id and a sixth thumbprint on update', async () => {
    const { arn } = await createOidcProvider(f.deps, { url: 'https://many.example.com', clientIds: Array.from({ length: 100 }, (_, i) => `c${i}`) }, f.root(NOW));
    expect((await failure(() => addClientIdToOidcProvider(f.deps, { arn, clientId: 'one-more' }, f.root(NOW)))).code).toBe('LimitExceeded');
    expect((await failure(() => updateOidcProviderThumbprint(f.deps, { arn, thumbprints: ['1', '2', '3', '4', '5', '6'].map((d) => d.repeat(40)) }, f.root(NOW)))).code).toBe('InvalidInput');
    expect((await getOidcProvider(f.deps, { arn }, f.root(NOW))).clientIds).toHaveLength(100);
    await deleteOidcProvider(f.deps, { arn }, f.root(NOW));
  });
});
