/**
 * Every registered IAM operation is authorized on what AWS's Service Authorization Reference gives
 * it: the catalogue's ARN pattern of the action's resource type, filled from the input, or `*` for
 * actions without resource-level permissions, except listings, which AWS authorizes on the path
 * they list (its refusals name it); and its condition keys resolve without error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ID, identityFixture, type IdentityFixture } from '../../../../services/iam/test-identity-fixture.js';
import { IAM_MODEL } from '../../../model/iam-model.js';
import { IAM_OPERATIONS } from './iam-operations.js';

const OPERATIONS = IAM_OPERATIONS;

/** A plausible input: names are `x`, ARNs point at this account, lists hold one item. */
function sampleInput(operation: string): Record<string, unknown> {
  const shapeName = IAM_MODEL.operations[operation]?.input;
  const shape = shapeName ? IAM_MODEL.shapes[shapeName] : undefined;
  const out: Record<string, unknown> = {};
  if (!shape || shape.type !== 'structure') return out;
  for (const [member, ref] of Object.entries(shape.members)) {
    const m = IAM_MODEL.shapes[ref.shape];
    if (member === 'PolicyArn') out[member] = `arn:aws:iam::${ACCOUNT_ID}:policy/x`;
    else if (member === 'PolicySourceArn') out[member] = `arn:aws:iam::${ACCOUNT_ID}:user/x`;
    else if (member === 'Arn') out[member] = `arn:aws:iam::${ACCOUNT_ID}:user/x`;
    else if (member === 'OpenIDConnectProviderArn') out[member] = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/x`;
    else if (member === 'SAMLProviderArn') out[member] = `arn:aws:iam::${ACCOUNT_ID}:saml-provider/x`;
    else if (member === 'Path' || member === 'PathPrefix') continue;
    else if (m?.type === 'string') out[member] = m.enum ? m.enum[0] : 'x';
    else if (m?.type === 'list' && member === 'Tags') out[member] = [{ Key: 'k', Value: 'v' }];
    else if (m?.type === 'list') out[member] = ['x'];
  }
  return out;
}

/** Listings AWS authorizes on the listed path (no PathPrefix in the sample input: the root path). */
const LISTED_PATHS: Readonly<Record<string, string>> = {
  ListUsers: `arn:aws:iam::${ACCOUNT_ID}:user/`,
  ListRoles: `arn:aws:iam::${ACCOUNT_ID}:role/`,
  ListGroups: `arn:aws:iam::${ACCOUNT_ID}:group/`,
  ListInstanceProfiles: `arn:aws:iam::${ACCOUNT_ID}:instance-profile/`,
  ListVirtualMFADevices: `arn:aws:iam::${ACCOUNT_ID}:mfa/`,
  ListPolicies: 'policy path /',
};

function patternRegex(arnPattern: string): RegExp {
  const source = arnPattern.split(/\$\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+');
  return new RegExp(`^${source}$`);
}

describe('authorization targets of every IAM operation', () => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture('sqlite');
  });
  afterAll(() => f.dispose());

  it('covers at least the identity and policy operations', () => {
    expect(OPERATIONS.length).toBeGreaterThan(70);
  });

  it.each(OPERATIONS.map((spec) => [spec.name, spec] as const))('%s', async (name, spec) => {
    const action = spec.action ?? `iam:${name}`;
    const info = f.deps.catalog.action(action);
    expect(info, `${action} is in the catalogue`).toBeDefined();
    const input = sampleInput(name);
    const resource = await spec.resource(input, f.root(), f.deps);
    if (LISTED_PATHS[name] !== undefined) {
      expect(resource).toBe(LISTED_PATHS[name]);
    } else if (info!.resourceTypes.length === 0) {
      expect(resource).toBe('*');
    } else {
      const matches = info!.resourceTypes.some((rt) => patternRegex(rt.arnPattern.replace('${Partition}', 'aws').replace('${Account}', ACCOUNT_ID)).test(resource));
      const optionalOnly = info!.resourceTypes.every((rt) => !rt.required);
      expect(matches || (optionalOnly && resource === '*'), `${action} on ${resource}`).toBe(true);
    }
    if (spec.conditionKeys) {
      const keys = await spec.conditionKeys(input, f.root(), f.deps);
      if ('Tags' in input && info!.conditionKeys.some((k) => k.startsWith('aws:RequestTag'))) expect(keys['aws:RequestTag/k']).toBe('v');
      if ('PolicyArn' in input && info!.conditionKeys.includes('iam:PolicyARN')) expect(keys['iam:PolicyARN']).toBe(input['PolicyArn']);
    }
  });
});
