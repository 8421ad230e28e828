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
