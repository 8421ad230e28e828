/**
 * The IAM identity operations: users, login profiles, access keys, groups and account-level
 * calls. The composition root registers this list (policies, roles and inline policies are in
 * `policy-operations.ts`).
 *
 * @module
 */
import type { OperationSpec } from '../../../../pipeline/operation-spec.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { addUserToGroup } from './add-user-to-group.js';
import { createAccessKey } from './create-access-key.js';
import { createAccountAlias } from './create-account-alias.js';
import { createGroup } from './create-group.js';
import { createLoginProfile } from './create-login-profile.js';
import { createUser } from './create-user.js';
import { deleteAccessKey } from './delete-access-key.js';
import { deleteAccountAlias } from './delete-account-alias.js';
import { deleteGroup } from './delete-group.js';
import { deleteLoginProfile } from './delete-login-profile.js';
import { deleteUser } from './delete-user.js';
import { getAccessKeyLastUsed } from './get-access-key-last-used.js';
import { getAccountAuthorizationDetails } from './get-account-authorization-details.js';
import { getAccountSummary } from './get-account-summary.js';
import { getGroup } from './get-group.js';
import { getLoginProfile } from './get-login-profile.js';
import { getUser } from './get-user.js';
import { listAccessKeys } from './list-access-keys.js';
import { listAccountAliases } from './list-account-aliases.js';
import { listGroupsForUser } from './list-groups-for-user.js';
import { listGroups } from './list-groups.js';
import { listUserTags } from './list-user-tags.js';
import { listUsers } from './list-users.js';
import { removeUserFromGroup } from './remove-user-from-group.js';
import { tagUser } from './tag-user.js';
import { untagUser } from './untag-user.js';
import { updateAccessKey } from './update-access-key.js';
import { updateGroup } from './update-group.js';
import { updateLoginProfile } from './update-login-profile.js';
import { updateUser } from './update-user.js';
import { listMfaDevices } from './list-mfa-devices.js';
import { listSshPublicKeys } from './list-ssh-public-keys.js';
import { listSigningCertificates } from './list-signing-certificates.js';
import { listServiceSpecificCredentials } from './list-service-specific-credentials.js';
import { listInstanceProfilesForRole } from './list-instance-profiles-for-role.js';

/** Every identity operation, for `OperationRegistry.register(...IDENTITY_OPERATIONS)`. */
export const IDENTITY_OPERATIONS: ReadonlyArray<OperationSpec<any, any, ServiceDeps>> = [
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
  // Kinds Castellan does not issue yet: truthfully empty, so clean-up tools can delete entities.
  listMfaDevices,
  listSshPublicKeys,
  listSigningCertificates,
  listServiceSpecificCredentials,
  listInstanceProfilesForRole,
];
