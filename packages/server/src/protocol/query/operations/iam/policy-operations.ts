/**
 * The IAM policy operations: managed policies and their versions, attachments, inline policies,
 * permissions boundaries, roles and the policy simulator.
 *
 * @module
 */
import { attachGroupPolicy } from './attach-group-policy.js';
import { attachRolePolicy } from './attach-role-policy.js';
import { attachUserPolicy } from './attach-user-policy.js';
import { createPolicy } from './create-policy.js';
import { createPolicyVersion } from './create-policy-version.js';
import { createRole } from './create-role.js';
import { deleteGroupPolicy } from './delete-group-policy.js';
import { deletePolicy } from './delete-policy.js';
import { deletePolicyVersion } from './delete-policy-version.js';
import { deleteRole } from './delete-role.js';
import { deleteRolePermissionsBoundary } from './delete-role-permissions-boundary.js';
import { deleteRolePolicy } from './delete-role-policy.js';
import { deleteUserPermissionsBoundary } from './delete-user-permissions-boundary.js';
import { deleteUserPolicy } from './delete-user-policy.js';
import { detachGroupPolicy } from './detach-group-policy.js';
import { detachRolePolicy } from './detach-role-policy.js';
import { detachUserPolicy } from './detach-user-policy.js';
import { getContextKeysForCustomPolicy } from './get-context-keys-for-custom-policy.js';
import { getContextKeysForPrincipalPolicy } from './get-context-keys-for-principal-policy.js';
import { getGroupPolicy } from './get-group-policy.js';
import { getPolicy } from './get-policy.js';
import { getPolicyVersion } from './get-policy-version.js';
import { getRole } from './get-role.js';
import { getRolePolicy } from './get-role-policy.js';
import { getUserPolicy } from './get-user-policy.js';
import { listAttachedGroupPolicies } from './list-attached-group-policies.js';
import { listAttachedRolePolicies } from './list-attached-role-policies.js';
import { listAttachedUserPolicies } from './list-attached-user-policies.js';
import { listEntitiesForPolicy } from './list-entities-for-policy.js';
import { listGroupPolicies } from './list-group-policies.js';
import { listPolicies } from './list-policies.js';
import { listPolicyTags } from './list-policy-tags.js';
import { listPolicyVersions } from './list-policy-versions.js';
import { listRolePolicies } from './list-role-policies.js';
import { listRoleTags } from './list-role-tags.js';
import { listRoles } from './list-roles.js';
import { listUserPolicies } from './list-user-policies.js';
import { putGroupPolicy } from './put-group-policy.js';
import { putRolePermissionsBoundary } from './put-role-permissions-boundary.js';
import { putRolePolicy } from './put-role-policy.js';
import { putUserPermissionsBoundary } from './put-user-permissions-boundary.js';
import { putUserPolicy } from './put-user-policy.js';
import { setDefaultPolicyVersion } from './set-default-policy-version.js';
import { tagPolicy } from './tag-policy.js';
import { tagRole } from './tag-role.js';
import { untagPolicy } from './untag-policy.js';
import { untagRole } from './untag-role.js';
import { updateAssumeRolePolicy } from './update-assume-role-policy.js';
import { updateRole } from './update-role.js';
import { updateRoleDescription } from './update-role-description.js';
import { simulatePrincipalPolicy } from './simulate-principal-policy.js';
import { simulateCustomPolicy } from './simulate-custom-policy.js';

/** Every policy operation, for the registry. */
export const POLICY_OPERATIONS = [
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
] as const;
