import { afterEach, beforeEach, describe } from 'vitest';
import type { TestStore } from '../testing.js';
import { accountContract } from './accounts.js';
import { auditEventContract } from './audit-events.js';
import { credentialContract } from './credentials.js';
import { credentialKindContract } from './credential-kinds.js';
import { credentialReportContract } from './credential-reports.js';
import { workloadRegistrationContract } from './workload-registrations.js';
import { accessActivityContract } from './access-activity.js';
import { durabilityContract } from './durability.js';
import { ACCOUNT, OTHER_ACCOUNT, at, contractTest, type ContractScope } from './fixtures.js';
import { groupContract } from './groups.js';
import { leaseContract } from './leases.js';
import { accountTrailContract } from './account-trails.js';
import { inlinePolicyContract } from './inline-policies.js';
import { instanceProfileContract } from './instance-profiles.js';
import { oidcProviderContract } from './oidc-providers.js';
import { pageDetailsContract } from './page-details.js';
import { samlProviderContract } from './saml-providers.js';
import { managedPolicyContract } from './managed-policies.js';
import { mfaDeviceContract } from './mfa-devices.js';
import { namedEntityContract } from './named-entities.js';
import { roleContract } from './roles.js';
import { tagContract } from './tags.js';
import { transactionContract } from './transactions.js';
import { userContract } from './users.js';
import { consoleGuardContract } from './console-guards.js';

/** Options of `runStoreContract`. */
export interface StoreContractOptions {
  /** Names the suite, e.g. `sqlite`. */
  name: string;
  /** A fresh, isolated store per test (see `createTestStore`). */
  newStore: () => Promise<TestStore>;
  /** Tests a dialect cannot pass yet, with the reason; each name is a test title. */
  skip?: Array<{ reason: string; tests: string[] }>;
}

/** Each aggregate's part of the contract, in the order they run. */
const PARTS: Array<(scope: ContractScope) => void> = [
  accountContract,
  userContract,
  namedEntityContract,
  groupContract,
  roleContract,
  managedPolicyContract,
  inlinePolicyContract,
  tagContract,
  pageDetailsContract,
  credentialContract,
  mfaDeviceContract,
  credentialKindContract,
  credentialReportContract,
  workloadRegistrationContract,
  accessActivityContract,
  transactionContract,
  auditEventContract,
  durabilityContract,
  instanceProfileContract,
  oidcProviderContract,
  leaseContract,
  accountTrailContract,
  consoleGuardContract,
  samlProviderContract,
];

/**
 * The store contract: every `Store` implementation must pass it. Each dialect's test file calls it
 * once; each test gets a fresh store from `newStore`. The tests live with their aggregate
 * (`contract/<aggregate>.ts`); this composes them under one `describe`.
 */
export function runStoreContract(options: StoreContractOptions): void {
  const test = contractTest(new Set((options.skip ?? []).flatMap((s) => s.tests)));

  describe(`store contract: ${options.name}`, () => {
    let t: TestStore | undefined;

    beforeEach(async () => {
      t = await options.newStore();
      await t.store.createAccount({ id: ACCOUNT, createDate: at(0) });
      await t.store.createAccount({ id: OTHER_ACCOUNT, createDate: at(0) });
    });

    afterEach(async () => {
      await t?.dispose();
    });

    const current = () => {
      if (!t) throw new Error('no store: the contract reads it inside a test');
      return t;
    };
    for (const part of PARTS) part({ test, current });
  });
}
