import { beforeEach, describe, expect } from 'vitest';
import { StoreConflictError, StoreLimitError } from '../store-errors.js';
import type { OidcProviderRow, Store } from '../store.js';
import { ACCOUNT, OTHER_ACCOUNT, at, type ContractScope } from './fixtures.js';

function newProvider(url: string, accountId = ACCOUNT): OidcProviderRow {
  return { accountId, arn: `arn:aws:iam::${accountId}:oidc-provider/${url}`, url, clientIds: ['app'], thumbprints: [], createDate: at(0) };
}

/** The store contract: IAM OIDC providers (unique URL per account, quota, updates, tags go with them). */
export function oidcProviderContract({ test, current }: ContractScope): void {
  describe('oidc providers', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });

    test('one per URL per account; listed by ARN; counted; quota', async () => {
      const a = newProvider('issuer.example.com/a');
      expect(await store.createOidcProvider(a)).toEqual(a);
      await expect(store.createOidcProvider(newProvider('issuer.example.com/a'))).rejects.toBeInstanceOf(StoreConflictError);
      await store.createOidcProvider(newProvider('issuer.example.com/a', OTHER_ACCOUNT));
      await store.createOidcProvider(newProvider('aaa.example.com'));
      expect((await store.listOidcProviders(ACCOUNT)).map((p) => p.url)).toEqual(['aaa.example.com', 'issuer.example.com/a']);
      expect(await store.getOidcProvider(ACCOUNT, a.arn)).toEqual(a);
      expect(await store.getOidcProvider(OTHER_ACCOUNT, a.arn)).toBeUndefined();
      expect(await store.countOidcProviders(ACCOUNT)).toBe(2);
      await expect(store.createOidcProvider(newProvider('third.example.com'), { maxPerAccount: 2 })).rejects.toBeInstanceOf(StoreLimitError);
    });

    test('client ids and thumbprints are replaced whole; delete takes the tags', async () => {
      const p = await store.createOidcProvider(newProvider('idp.example.com'));
      const thumb = 'a'.repeat(40);
      expect(await store.updateOidcProvider(ACCOUNT, p.arn, { clientIds: ['x', 'y'] })).toEqual({ ...p, clientIds: ['x', 'y'] });
      expect(await store.updateOidcProvider(ACCOUNT, p.arn, { thumbprints: [thumb] })).toEqual({ ...p, clientIds: ['x', 'y'], thumbprints: [thumb] });
      expect(await store.updateOidcProvider(ACCOUNT, `${p.arn}/gone`, { clientIds: [] })).toBeUndefined();
      await store.putTags({ kind: 'oidc-provider', id: p.arn }, [{ key: 'team', value: 'a' }]);
      expect((await store.listTags({ kind: 'oidc-provider', id: p.arn })).items).toEqual([{ key: 'team', value: 'a' }]);
      expect(await store.deleteOidcProvider(ACCOUNT, p.arn)).toBe(true);
      expect(await store.deleteOidcProvider(ACCOUNT, p.arn)).toBe(false);
      expect((await store.listTags({ kind: 'oidc-provider', id: p.arn })).items).toEqual([]);
    });
  });
}
