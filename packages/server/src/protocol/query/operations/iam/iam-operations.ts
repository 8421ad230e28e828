/**
 * Every IAM operation Castellan implements, for `OperationRegistry.register(...IAM_OPERATIONS)`.
 * A new operation is its own file plus one line here; its action and whether it is read-only
 * come from its name (see `define-operation.ts`).
 *
 * @module
 */
import type { AnyOperation } from '../../../define-operation.js';
import { addUserToGroup } from './add-user-to-group.js';
import { attachGroupPolicy } from './attach-group-policy.js';
import { attachRolePolicy } from './attach-role-policy.js';
import { attachUserPolicy } from './attach-user-policy.js';
import { createAccessKey } from './create-access-key.js';
import { createAccountAlias } from './create-account-alias.js';
import { createGroup } from './create-group.js';
import { createLoginProfile } from './create-login-profile.js';
import { createPolicy } from './create-policy.js';
import { createPolicyVersion } from './create-policy-version.js';
import { createRole } from './create-role.js';
import { createUser } from './create-user.js';
import { deleteAccessKey } from './delete-access-key.js';
import { deleteAccountAlias } from './delete-account-alias.js';
import { deleteGroup } from './delete-group.js';
import { deleteGroupPolicy } from './delete-group-policy.js';
import { deleteLoginProfile } from './delete-login-profile.js';
import { deletePolicy } from './delete-policy.js';
import { deletePolicyVersion } from './delete-policy-version.js';
import { deleteRole } from './delete-role.js';
import { deleteRolePermissionsBoundary } from './delete-role-permissions-boundary.js';
import { deleteRolePolicy } from './delete-role-policy.js';
import { deleteUser } from './delete-user.js';
import { deleteUserPermissionsBoundary } from './delete-user-permissions-boundary.js';
import { deleteUserPolicy } from './delete-user-policy.js';
import { detachGroupPolicy } from './detach-group-policy.js';
import { detachRolePolicy } from './detach-role-policy.js';
import { detachUserPolicy } from './detach-user-policy.js';
import { getAccessKeyLastUsed } from './get-access-key-last-used.js';
import { getAccountAuthorizationDetails } from './get-account-authorization-details.js';
import { getAccountSummary } from './get-account-summary.js';
import { getContextKeysForCustomPolicy } from './get-context-keys-for-custom-policy.js';
import { getContextKeysForPrincipalPolicy } from './get-context-keys-for-principal-policy.js';
import { getGroup } from './get-group.js';
import { getGroupPolicy } from './get-group-policy.js';
import { getLoginProfile } from './get-login-profile.js';
import { getPolicy } from './get-policy.js';
import { getPolicyVersion } from './get-policy-version.js';
import { getRole } from './get-role.js';
import { getRolePolicy } from './get-role-policy.js';
import { getUser } from './get-user.js';
import { getUserPolicy } from './get-user-policy.js';
import { listAccessKeys } from './list-access-keys.js';
import { listAccountAliases } from './list-account-aliases.js';
import { listAttachedGroupPolicies } from './list-attached-group-policies.js';
import { listAttachedRolePolicies } from './list-attached-role-policies.js';
import { listAttachedUserPolicies } from './list-attached-user-policies.js';
import { listEntitiesForPolicy } from './list-entities-for-policy.js';
import { listGroupPolicies } from './list-group-policies.js';
import { listGroups } from './list-groups.js';
import { listGroupsForUser } from './list-groups-for-user.js';
import { listInstanceProfilesForRole } from './list-instance-profiles-for-role.js';
import { listMfaDevices } from './list-mfa-devices.js';
import { listPolicies } from './list-policies.js';
import { listPolicyTags } from './list-policy-tags.js';
import { listPolicyVersions } from './list-policy-versions.js';
import { listRolePolicies } from './list-role-policies.js';
import { listRoleTags } from './list-role-tags.js';
import { listRoles } from './list-roles.js';
import { listServiceSpecificCredentials } from './list-service-specific-credentials.js';
import { listSigningCertificates } from './list-signing-certificates.js';
import { listSshPublicKeys } from './list-ssh-public-keys.js';
import { listUserPolicies } from './list-user-policies.js';
import { listUserTags } from './list-user-tags.js';
import { listUsers } from './list-users.js';
import { putGroupPolicy } from './put-group-policy.js';
import { putRolePermissionsBoundary } from './put-role-permissions-boundary.js';
import { putRolePolicy } from './put-role-policy.js';
import { putUserPermissionsBoundary } from './put-user-permissions-boundary.js';
import { putUserPolicy } from './put-user-policy.js';
import { removeUserFromGroup } from './remove-user-from-group.js';
import { setDefaultPolicyVersion } from './set-default-policy-version.js';
import { simulateCustomPolicy } from './simulate-custom-policy.js';
import { simulatePrincipalPolicy } from './simulate-principal-policy.js';
import { tagPolicy } from './tag-policy.js';
import { tagRole } from './tag-role.js';
import { tagUser } from './tag-user.js';
import { untagPolicy } from './untag-policy.js';
import { untagRole } from './untag-role.js';
import { untagUser } from './untag-user.js';
import { updateAccessKey } from './update-access-key.js';
import { updateAssumeRolePolicy } from './update-assume-role-policy.js';
import { updateGroup } from './update-group.js';
import { updateLoginProfile } from './update-login-profile.js';
import { updateRole } from './update-role.js';
import { updateRoleDescription } from './update-role-description.js';
import { updateUser } from './update-user.js';
import { changePassword } from './change-password.js';
import { deleteAccountPasswordPolicy } from './delete-account-password-policy.js';
import { getAccountPasswordPolicy } from './get-account-password-policy.js';
import { updateAccountPasswordPolicy } from './update-account-password-policy.js';
import { createVirtualMfaDevice } from './create-virtual-mfa-device.js';
import { deactivateMfaDevice } from './deactivate-mfa-device.js';
import { deleteVirtualMfaDevice } from './delete-virtual-mfa-device.js';
import { enableMfaDevice } from './enable-mfa-device.js';
import { listMfaDeviceTags } from './list-mfa-device-tags.js';
import { listVirtualMfaDevices } from './list-virtual-mfa-devices.js';
import { resyncMfaDevice } from './resync-mfa-device.js';
import { tagMfaDevice } from './tag-mfa-device.js';
import { createServiceSpecificCredential } from './create-service-specific-credential.js';
import { deleteServerCertificate } from './delete-server-certificate.js';
import { deleteServiceSpecificCredential } from './delete-service-specific-credential.js';
import { deleteSigningCertificate } from './delete-signing-certificate.js';
import { deleteSshPublicKey } from './delete-ssh-public-key.js';
import { getServerCertificate } from './get-server-certificate.js';
import { getSshPublicKey } from './get-ssh-public-key.js';
import { listServerCertificateTags } from './list-server-certificate-tags.js';
import { listServerCertificates } from './list-server-certificates.js';
import { resetServiceSpecificCredential } from './reset-service-specific-credential.js';
import { tagServerCertificate } from './tag-server-certificate.js';
import { untagServerCertificate } from './untag-server-certificate.js';
import { updateServerCertificate } from './update-server-certificate.js';
import { updateServiceSpecificCredential } from './update-service-specific-credential.js';
import { updateSigningCertificate } from './update-signing-certificate.js';
import { updateSshPublicKey } from './update-ssh-public-key.js';
import { uploadServerCertificate } from './upload-server-certificate.js';
import { uploadSigningCertificate } from './upload-signing-certificate.js';
import { uploadSshPublicKey } from './upload-ssh-public-key.js';
import { untagMfaDevice } from './untag-mfa-device.js';
import { addRoleToInstanceProfile } from './add-role-to-instance-profile.js';
import { createInstanceProfile } from './create-instance-profile.js';
import { deleteInstanceProfile } from './delete-instance-profile.js';
import { getInstanceProfile } from './get-instance-profile.js';
import { listInstanceProfileTags } from './list-instance-profile-tags.js';
import { listInstanceProfiles } from './list-instance-profiles.js';
import { removeRoleFromInstanceProfile } from './remove-role-from-instance-profile.js';
import { tagInstanceProfile } from './tag-instance-profile.js';
import { untagInstanceProfile } from './untag-instance-profile.js';
import { addClientIDToOpenIDConnectProvider } from './add-client-id-to-open-id-connect-provider.js';
import { createOpenIDConnectProvider } from './create-open-id-connect-provider.js';
import { deleteOpenIDConnectProvider } from './delete-open-id-connect-provider.js';
import { getOpenIDConnectProvider } from './get-open-id-connect-provider.js';
import { listOpenIDConnectProviderTags } from './list-open-id-connect-provider-tags.js';
import { listOpenIDConnectProviders } from './list-open-id-connect-providers.js';
import { removeClientIDFromOpenIDConnectProvider } from './remove-client-id-from-open-id-connect-provider.js';
import { tagOpenIDConnectProvider } from './tag-open-id-connect-provider.js';
import { untagOpenIDConnectProvider } from './untag-open-id-connect-provider.js';
import { updateOpenIDConnectProviderThumbprint } from './update-open-id-connect-provider-thumbprint.js';
import { createSAMLProvider } from './create-saml-provider.js';
import { deleteSAMLProvider } from './delete-saml-provider.js';
import { getSAMLProvider } from './get-saml-provider.js';
import { listSAMLProviderTags } from './list-saml-provider-tags.js';
import { listSAMLProviders } from './list-saml-providers.js';
import { tagSAMLProvider } from './tag-saml-provider.js';
import { untagSAMLProvider } from './untag-saml-provider.js';
import { updateSAMLProvider } from './update-saml-provider.js';
import { createServiceLinkedRole } from './create-service-linked-role.js';
import { deleteServiceLinkedRole } from './delete-service-linked-role.js';
import { getServiceLinkedRoleDeletionStatus } from './get-service-linked-role-deletion-status.js';
import { generateCredentialReport } from './generate-credential-report.js';
import { getCredentialReport } from './get-credential-report.js';
import { generateServiceLastAccessedDetails } from './generate-service-last-accessed-details.js';
import { getServiceLastAccessedDetails } from './get-service-last-accessed-details.js';
import { getServiceLastAccessedDetailsWithEntities } from './get-service-last-accessed-details-with-entities.js';
import { listPoliciesGrantingServiceAccess } from './list-policies-granting-service-access.js';
import { setSecurityTokenServicePreferences } from './set-security-token-service-preferences.js';

/** The IAM operations, grouped by what they act on. */
export const IAM_OPERATIONS: ReadonlyArray<AnyOperation> = [
  // Users, login profiles, access keys, groups and the account.
  createUser,
  getUser,
  listUsers,
  updateUser,
  deleteUser,
  tagUser,
  untagUser,
  listUserTags,
  createLoginProfile,
  getLoginProfile,
  updateLoginProfile,
  deleteLoginProfile,
  createAccessKey,
  listAccessKeys,
  updateAccessKey,
  deleteAccessKey,
  getAccessKeyLastUsed,
  createGroup,
  getGroup,
  listGroups,
  updateGroup,
  deleteGroup,
  addUserToGroup,
  removeUserFromGroup,
  listGroupsForUser,
  getAccountSummary,
  createAccountAlias,
  deleteAccountAlias,
  listAccountAliases,
  getAccountAuthorizationDetails,
  setSecurityTokenServicePreferences,
  // The account password policy and users' own passwords.
  getAccountPasswordPolicy,
  updateAccountPasswordPolicy,
  deleteAccountPasswordPolicy,
  changePassword,
  // Virtual MFA devices.
  createVirtualMfaDevice,
  enableMfaDevice,
  deactivateMfaDevice,
  deleteVirtualMfaDevice,
  resyncMfaDevice,
  listMfaDevices,
  listVirtualMfaDevices,
  tagMfaDevice,
  untagMfaDevice,
  listMfaDeviceTags,
  // SSH public keys, signing and server certificates, service-specific credentials.
  uploadSshPublicKey,
  getSshPublicKey,
  listSshPublicKeys,
  updateSshPublicKey,
  deleteSshPublicKey,
  uploadSigningCertificate,
  listSigningCertificates,
  updateSigningCertificate,
  deleteSigningCertificate,
  uploadServerCertificate,
  getServerCertificate,
  listServerCertificates,
  updateServerCertificate,
  deleteServerCertificate,
  tagServerCertificate,
  untagServerCertificate,
  listServerCertificateTags,
  createServiceSpecificCredential,
  listServiceSpecificCredentials,
  resetServiceSpecificCredential,
  updateServiceSpecificCredential,
  deleteServiceSpecificCredential,
  // The credential report.
  generateCredentialReport,
  getCredentialReport,
  // Last-accessed data.
  generateServiceLastAccessedDetails,
  getServiceLastAccessedDetails,
  getServiceLastAccessedDetailsWithEntities,
  listPoliciesGrantingServiceAccess,
  // Managed policies and their versions, attachments, inline policies, boundaries, roles, the simulator.
  attachGroupPolicy,
  attachRolePolicy,
  attachUserPolicy,
  createPolicy,
  createPolicyVersion,
  createRole,
  deleteGroupPolicy,
  deletePolicy,
  deletePolicyVersion,
  deleteRole,
  deleteRolePermissionsBoundary,
  deleteRolePolicy,
  deleteUserPermissionsBoundary,
  deleteUserPolicy,
  detachGroupPolicy,
  detachRolePolicy,
  detachUserPolicy,
  getContextKeysForCustomPolicy,
  getContextKeysForPrincipalPolicy,
  getGroupPolicy,
  getPolicy,
  getPolicyVersion,
  getRole,
  getRolePolicy,
  getUserPolicy,
  listAttachedGroupPolicies,
  listAttachedRolePolicies,
  listAttachedUserPolicies,
  listEntitiesForPolicy,
  listGroupPolicies,
  listPolicies,
  listPolicyTags,
  listPolicyVersions,
  listRolePolicies,
  listRoleTags,
  listRoles,
  listUserPolicies,
  putGroupPolicy,
  putRolePermissionsBoundary,
  putRolePolicy,
  putUserPermissionsBoundary,
  putUserPolicy,
  setDefaultPolicyVersion,
  tagPolicy,
  tagRole,
  untagPolicy,
  untagRole,
  updateAssumeRolePolicy,
  updateRole,
  updateRoleDescription,
  simulatePrincipalPolicy,
  simulateCustomPolicy,
  // Instance profiles.
  createInstanceProfile,
  getInstanceProfile,
  listInstanceProfiles,
  deleteInstanceProfile,
  addRoleToInstanceProfile,
  removeRoleFromInstanceProfile,
  listInstanceProfilesForRole,
  tagInstanceProfile,
  untagInstanceProfile,
  listInstanceProfileTags,
  // Service-linked roles.
  createServiceLinkedRole,
  deleteServiceLinkedRole,
  getServiceLinkedRoleDeletionStatus,
  // OpenID Connect providers.
  createOpenIDConnectProvider,
  getOpenIDConnectProvider,
  listOpenIDConnectProviders,
  deleteOpenIDConnectProvider,
  updateOpenIDConnectProviderThumbprint,
  addClientIDToOpenIDConnectProvider,
  removeClientIDFromOpenIDConnectProvider,
  tagOpenIDConnectProvider,
  untagOpenIDConnectProvider,
  listOpenIDConnectProviderTags,
  createSAMLProvider,
  getSAMLProvider,
  listSAMLProviders,
  updateSAMLProvider,
  deleteSAMLProvider,
  tagSAMLProvider,
  untagSAMLProvider,
  listSAMLProviderTags,
];
