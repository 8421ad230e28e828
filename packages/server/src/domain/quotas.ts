/**
 * IAM quotas, as AWS documents them ("IAM and AWS STS quotas"). Hitting one is `LimitExceeded`.
 * The defaults are AWS's defaults; the adjustable ones are the values an account gets before
 * asking for an increase.
 */
export const IAM_QUOTAS = Object.freeze({
  usersPerAccount: 5000,
  groupsPerAccount: 300,
  rolesPerAccount: 1000,
  customerManagedPoliciesPerAccount: 1500,
  instanceProfilesPerAccount: 1000,
  serverCertificatesPerAccount: 20,
  oidcProvidersPerAccount: 100,
  samlProvidersPerAccount: 100,
  groupsPerUser: 10,
  accessKeysPerUser: 2,
  accessKeysPerRoot: 2,
  policyVersionsPerPolicy: 5,
  managedPoliciesPerUser: 10,
  managedPoliciesPerGroup: 10,
  managedPoliciesPerRole: 10,
  aliasesPerAccount: 1,
  tagsPerResource: 50,
  mfaDevicesPerUser: 8,
  signingCertificatesPerUser: 2,
  sshPublicKeysPerUser: 5,
  /** Characters without whitespace, summed over all inline policies of the entity. */
  userInlinePolicyChars: 2048,
  groupInlinePolicyChars: 5120,
  roleInlinePolicyChars: 10240,
  managedPolicyChars: 6144,
  trustPolicyChars: 2048,
  /** Seconds. */
  roleMaxSessionDurationMin: 3600,
  roleMaxSessionDurationMax: 43200,
});

/** The quotas one deployment enforces: AWS's defaults with some counts raised (or lowered). */
export type IamQuotas = { readonly [K in keyof typeof IAM_QUOTAS]: number };

/**
 * The count quotas a deployment may set (`quotas` in the server's settings). AWS raises most of
 * these on request; a self-hosted service is its own quota desk. Sizes, tag counts and session
 * durations are not here: they are bounded by AWS's API models and clients as well.
 */
export const SETTABLE_QUOTAS = Object.freeze([
  'usersPerAccount',
  'groupsPerAccount',
  'rolesPerAccount',
  'customerManagedPoliciesPerAccount',
  'instanceProfilesPerAccount',
  'serverCertificatesPerAccount',
  'oidcProvidersPerAccount',
  'samlProvidersPerAccount',
  'groupsPerUser',
  'accessKeysPerUser',
  'policyVersionsPerPolicy',
  'managedPoliciesPerUser',
  'managedPoliciesPerGroup',
  'managedPoliciesPerRole',
  'mfaDevicesPerUser',
  'signingCertificatesPerUser',
  'sshPublicKeysPerUser',
] as const satisfies ReadonlyArray<keyof typeof IAM_QUOTAS>);

export type SettableQuota = (typeof SETTABLE_QUOTAS)[number];

/** The largest value a settable quota takes: far above any account, well inside SQL integers. */
export const MAX_QUOTA = 10_000_000;

/** AWS's defaults with `overrides` applied. */
export function iamQuotas(overrides: Partial<Record<SettableQuota, number>> = {}): IamQuotas {
  return Object.freeze({ ...IAM_QUOTAS, ...overrides });
}
