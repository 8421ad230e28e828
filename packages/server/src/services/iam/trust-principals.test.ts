import { describe, expect, it } from 'vitest';
import type { RoleRow, Store } from '../../store/store.js';
import { pinTrustPrincipals, withShownTrusts } from './trust-principals.js';

const ACCOUNT = '111122223333';
const ALICE = { id: 'AIDAALICE0000000000000', arn: `arn:aws:iam::${ACCOUNT}:user/alice` };
const HOP = { id: 'AROAHOP00000000000000', arn: `arn:aws:iam::${ACCOUNT}:role/ops/Hop` };

/** The few reads the module makes, over two principals; every other method is absent. */
const store = {
  getUserByName: async (accountId: string, name: string) => (accountId === ACCOUNT && name === 'alice' ? ALICE : undefined),
  getRoleByName: async (accountId: string, name: string) => (accountId === ACCOUNT && name === 'Hop' ? HOP : undefined),
  getUserArnsByIds: async (ids: readonly string[]) => new Map(ids.includes(ALICE.id) ? [[ALICE.id, ALICE.arn]] : []),
  getRoleArnsByIds: async (ids: readonly string[]) => new Map(ids.includes(HOP.id) ? [[HOP.id, HOP.arn]] : []),
} as unknown as Store;

const shown = async (document: string) => (await withShownTrusts(store, [{ assumeRolePolicyDocument: document } as RoleRow]))[0]!.assumeRolePolicyDocument;

describe('trust policy principals kept by id', () => {
  it('rewrites only the Principal and NotPrincipal AWS strings, in place; a condition naming the same ARN stays', async () => {
    const written = `{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::${ACCOUNT}:user\\/alice"},\n  "Action":"sts:AssumeRole",\n  "Condition":{"ArnEquals":{"aws:PrincipalArn":"${ALICE.arn}"},"NumericEquals":{"x":1.50}}}}`;
    const stored = await pinTrustPrincipals(store, written);
    expect(stored).toBe(written.replace(`arn:aws:iam::${ACCOUNT}:user\\/alice`, ALICE.id));
    expect(await shown(stored)).toBe(written.replace('user\\/alice', 'user/alice'));
  });

  it('keeps ARNs that name nothing, or a different path, and non-user principals, as written', async () => {
    const written = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::${ACCOUNT}:root","arn:aws:iam::${ACCOUNT}:role/Hop","${HOP.arn}"],"Service":"${ALICE.arn}"},"Action":"sts:AssumeRole"}]}`;
    const stored = await pinTrustPrincipals(store, written);
    expect(stored).toBe(written.replace(`"${HOP.arn}"`, `"${HOP.id}"`));
    expect(await shown(stored)).toBe(written);
  });

  it('shows an id that names nothing as the id, and a page of documents with their own ids', async () => {
    const doc = (aws: string) => `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"${aws}"},"Action":"sts:AssumeRole"}]}`;
    const page = await withShownTrusts(store, [doc(ALICE.id), doc('AIDAGONE0000000000000'), doc(HOP.id), doc('*')].map((d) => ({ assumeRolePolicyDocument: d }) as RoleRow));
    expect(page.map((r) => r.assumeRolePolicyDocument)).toEqual([doc(ALICE.arn), doc('AIDAGONE0000000000000'), doc(HOP.arn), doc('*')]);
  });

  it('shows an id written with escapes as its ARN, as one written plainly', async () => {
    const doc = (aws: string) => `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["${aws}"]},"Action":"sts:AssumeRole"}]}`;
    expect(await shown(doc(`\\u0041${ALICE.id.slice(1)}`))).toBe(doc(ALICE.arn));
    expect(await shown(doc(`AR\\u004FA${HOP.id.slice(4)}`))).toBe(doc(HOP.arn));
    // An escape elsewhere, with no id, leaves the document as written
    expect(await shown(doc('arn:aws:iam::111122223333:user\\/bob'))).toBe(doc('arn:aws:iam::111122223333:user\\/bob'));
  });
});
