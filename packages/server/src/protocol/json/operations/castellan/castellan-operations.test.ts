/**
 * Every castellan operation is authorized where its catalogue entry (from the model's
 * `com.castellan#iamAction`) says: on an ARN of its resource type, or `*` when it has none; the
 * account operations on a resource owned by the management account, whoever calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_ACCOUNT_META } from '../../../../services/bootstrap.js';
import { ACCOUNT_ID, identityFixture, type IdentityFixture } from '../../../../services/iam/test-identity-fixture.js';
import { CASTELLAN_OPERATIONS } from './castellan-operations.js';

const OTHER = '444455556666';
const SAMPLE: Record<string, Record<string, unknown>> = {
  RegisterWorkload: { InstanceProfileName: 'web' },
  RevokeWorkload: { WorkloadId: 'wl-0a' },
};

function patternRegex(arnPattern: string): RegExp {
  const source = arnPattern.split(/\$\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+');
  return new RegExp(`^${source}$`);
}

describe('authorization targets of every castellan operation', () => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture('sqlite');
    await f.t.store.setMeta(BOOTSTRAP_ACCOUNT_META, ACCOUNT_ID);
  });
  afterAll(() => f.dispose());

  // GetWorkloadCredentials is EC2's sts:AssumeRole on the role (its own e2e test covers it).
  const ops = CASTELLAN_OPERATIONS.filter((op) => op.authorizedAs === undefined);

  it.each(ops.map((op) => [op.name, op] as const))('%s', async (name, op) => {
    const info = f.deps.catalog.action(op.action);
    expect(info, `${op.action} is in the catalogue`).toBeDefined();
    const resource = await op.resource(SAMPLE[name] ?? {}, f.root(), f.deps);
    if (info!.resourceTypes.length === 0) expect(resource).toBe('*');
    else expect(info!.resourceTypes.some((rt) => patternRegex(rt.arnPattern.replace('${Partition}', 'aws').replace('${Account}', ACCOUNT_ID)).test(resource)), resource).toBe(true);
  });

  it.each(['CreateAccount', 'ListAccounts'])('%s is on the management account, even for another account\'s caller', async (name) => {
    const op = CASTELLAN_OPERATIONS.find((o) => o.name === name)!;
    const caller = f.ctx({ type: 'Root', accountId: OTHER, arn: `arn:aws:iam::${OTHER}:root`, principalId: OTHER, mfaAuthenticated: false });
    expect(await op.resourceAccount!({}, caller, f.deps)).toBe(ACCOUNT_ID);
  });
});
