import { beforeEach, describe, expect } from 'vitest';
import { StoreConflictError, StoreLimitError } from '../store-errors.js';
import type { SamlProviderRow, Store } from '../store.js';
import { ACCOUNT, OTHER_ACCOUNT, at, type ContractScope } from './fixtures.js';

function newProvider(name: string, accountId = ACCOUNT): SamlProviderRow {
  return { accountId, arn: `arn:aws:iam::${accountId}:saml-provider/${name}`, name, metadataDocument: `<EntityDescriptor entityID="${name}"/>`, createDate: at(0) };
}

/** The store contract: IAM SAML providers (unique name per account, quota, updates, tags) and used assertions. */
export function samlProviderContract({ test, current }: ContractScope): void {
  describe('saml providers', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });

    test('one per name per account; listed by ARN; counted; quota', async () => {
      const a = newProvider('Okta');
      expect(await store.createSamlProvider(a)).toEqual(a);
      await expect(store.createSamlProvider(newProvider('Okta'))).rejects.toBeInstanceOf(StoreConflictError);
      await store.createSamlProvider(newProvider('Okta', OTHER_ACCOUNT));
      await store.createSamlProvider(newProvider('Adfs'));
      expect((await store.listSamlProviders(ACCOUNT)).map((p) => p.name)).toEqual(['Adfs', 'Okta']);
      expect(await store.getSamlProvider(OTHER_ACCOUNT, a.arn)).toBeUndefined();
      expect(await store.countSamlProviders(ACCOUNT)).toBe(2);
      await expect(store.createSamlProvider(newProvider('Third'), { maxPerAccount: 2 })).rejects.toBeInstanceOf(StoreLimitError);
    });

    test('the metadata is replaced; delete takes the tags', async () => {
      const p = await store.createSamlProvider({ ...newProvider('Idp'), validUntil: at(100) });
      expect(await store.updateSamlProvider(ACCOUNT, p.arn, { metadataDocument: '<new/>' })).toEqual({ ...newProvider('Idp'), metadataDocument: '<new/>' });
      expect(await store.updateSamlProvider(ACCOUNT, p.arn, { metadataDocument: '<newer/>', validUntil: at(5) })).toMatchObject({ metadataDocument: '<newer/>', validUntil: at(5) });
      expect(await store.updateSamlProvider(ACCOUNT, `${p.arn}x`, { metadataDocument: '<x/>' })).toBeUndefined();
      await store.putTags({ kind: 'saml-provider', id: p.arn }, [{ key: 'team', value: 'a' }]);
      expect((await store.listTags({ kind: 'saml-provider', id: p.arn })).items).toEqual([{ key: 'team', value: 'a' }]);
      expect(await store.deleteSamlProvider(ACCOUNT, p.arn)).toBe(true);
      expect(await store.deleteSamlProvider(ACCOUNT, p.arn)).toBe(false);
      expect((await store.listTags({ kind: 'saml-provider', id: p.arn })).items).toEqual([]);
    });

    test('an assertion is accepted once until it expires, also when presented at the same time', async () => {
      expect(await store.consumeSamlAssertion('k1', at(10), at(0))).toBe(true);
      expect(await store.consumeSamlAssertion('k1', at(10), at(5))).toBe(false);
      const racing = await Promise.all([store.consumeSamlAssertion('k2', at(10), at(0)), store.consumeSamlAssertion('k2', at(10), at(0))]);
      expect(racing.filter(Boolean)).toHaveLength(1);
      // Once expired it is forgotten (an expired assertion is refused for its expiry before this).
      expect(await store.consumeSamlAssertion('k1', at(20), at(10))).toBe(true);
    });

    test('whether an assertion was used is read without recording it, until it expires', async () => {
      expect(await store.samlAssertionUsed('u1', at(0))).toBe(false);
      // Asking records nothing: the first use is still the first.
      expect(await store.consumeSamlAssertion('u1', at(10), at(1))).toBe(true);
      expect(await store.samlAssertionUsed('u1', at(9))).toBe(true);
      expect(await store.samlAssertionUsed('u2', at(9))).toBe(false);
      // At its expiry it is no longer used (consumeSamlAssertion accepts it again then).
      expect(await store.samlAssertionUsed('u1', at(10))).toBe(false);
      expect(await store.transaction((tx) => tx.samlAssertionUsed('u1', at(5)))).toBe(true);
    });

    test('inside a transaction a replay answers false without dooming it', async () => {
      await store.consumeSamlAssertion('k3', at(10), at(0));
      const out = await store.transaction(async (tx) => {
        const again = await tx.consumeSamlAssertion('k3', at(10), at(1));
        await tx.createSamlProvider(newProvider('AfterReplay'));
        return again;
      });
      expect(out).toBe(false);
      expect(await store.getSamlProvider(ACCOUNT, newProvider('AfterReplay').arn)).toBeDefined();
    });
  });
}
