/**
 * Test-only fixture of the identity service tests (excluded from the build by the `test-` prefix):
 * an isolated real store with one account, deterministic ids, and request contexts.
 */
import { IAM_QUOTAS } from '../../domain/quotas.js';
import { loadIamDataCatalog, type IamDataCatalog } from '../../catalog/iam-data-catalog.js';
import { SessionTokenCodec } from '../credentials/session-token-codec.js';
import { AuthorizationMessageCodec } from '../sts/authorization-message-codec.js';
import { CompiledPolicyCache } from '../authorization/compiled-policy-cache.js';
import { loadAwsManagedPolicies, type AwsManagedPolicyCatalog } from './aws-managed-policies.js';
import type { Principal, RequestContext } from '../../domain/context.js';
import { DeterministicIds } from '../../domain/ids.js';
import { createTestStore, type TestDialect, type TestStore } from '../../store/testing.js';
import type { User } from '../../domain/iam-entities.js';
import type { ServiceDeps } from '../service-deps.js';

/** The account of the fixture. */
export const ACCOUNT_ID = '123456789012';

// Reference data loads once per test file, as the composition root loads it once per process.
let catalog: Promise<IamDataCatalog> | undefined;
let awsManagedPolicies: Promise<AwsManagedPolicyCatalog> | undefined;

/** A store with the fixture account, the deps services take, and contexts. */
export interface IdentityFixture {
  t: TestStore;
  deps: ServiceDeps;
  /** A context of the account root at `now`. */
  root(now?: Date): RequestContext;
  /** A context of IAM user `user` (long-term key). */
  as(user: User, now?: Date): RequestContext;
  /** A context of any principal. */
  ctx(caller: Principal, now?: Date): RequestContext;
  dispose(): Promise<void>;
}

/** Opens a fresh store on `dialect` with the fixture account. */
export async function identityFixture(dialect: TestDialect): Promise<IdentityFixture> {
  catalog ??= loadIamDataCatalog();
  awsManagedPolicies ??= loadAwsManagedPolicies();
  const t = await createTestStore(dialect);
  await t.store.createAccount({ id: ACCOUNT_ID, createDate: new Date('2026-01-01T00:00:00Z') });
  const deps: ServiceDeps = {
    store: t.store,
    ids: new DeterministicIds(`identity-${dialect}`),
    catalog: await catalog,
    awsManagedPolicies: await awsManagedPolicies,
    policyCache: new CompiledPolicyCache(),
    sessionTokens: new SessionTokenCodec(new Uint8Array(32).fill(7)),
    authorizationMessages: new AuthorizationMessageCodec(new Uint8Array(32).fill(7)),
    quotas: IAM_QUOTAS,
  };
  const ctx = (caller: Principal, now = new Date('2026-05-06T07:08:09.000Z')): RequestContext => ({
    requestId: 'req-1',
    now,
    caller,
    sourceIp: '192.0.2.10',
    userAgent: 'test',
    region: 'us-east-1',
  });
  return {
    t,
    get deps() {
      return { ...deps, store: t.store };
    },
    root: (now) => ctx({ type: 'Root', accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:root`, principalId: ACCOUNT_ID, accessKeyId: 'AKIACASTELLANTEST001', mfaAuthenticated: false }, now),
    as: (user, now) =>
      ctx({ type: 'IAMUser', accountId: ACCOUNT_ID, arn: user.arn, principalId: user.id, userName: user.name, accessKeyId: 'AKIAUSERKEY000000001', mfaAuthenticated: false }, now),
    ctx,
    dispose: () => t.dispose(),
  };
}

/** Runs `fn` and returns the error it throws as `{ code, message }` (fails when it does not throw). */
export async function failure(fn: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await fn();
  } catch (err) {
    const e = err as { code?: string; message: string };
    return { code: e.code ?? (err as Error).name, message: e.message };
  }
  throw new Error('expected a failure, but the call succeeded');
}
