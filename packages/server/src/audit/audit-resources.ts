/**
 * The resources an event refers to, for LookupEvents' `ResourceType`/`ResourceName` attributes
 * and the `Resources` of each returned event. AWS lists IAM resources by CloudFormation-style type
 * (`AWS::IAM::User`) and name (the user name, a policy ARN, an access key id).
 */

import type { AuditResource } from '../store/store.js';

export type { AuditResource };

/** Request or response members that name a resource, and the resource type they name. */
export const RESOURCE_MEMBERS: Readonly<Record<string, string>> = Object.freeze({
  UserName: 'AWS::IAM::User',
  NewUserName: 'AWS::IAM::User',
  GroupName: 'AWS::IAM::Group',
  NewGroupName: 'AWS::IAM::Group',
  RoleName: 'AWS::IAM::Role',
  RoleArn: 'AWS::IAM::Role',
  PolicyArn: 'AWS::IAM::Policy',
  PermissionsBoundary: 'AWS::IAM::Policy',
  AccessKeyId: 'AWS::IAM::AccessKey',
  InstanceProfileName: 'AWS::IAM::InstanceProfile',
  SerialNumber: 'AWS::IAM::MFADevice',
  VirtualMFADeviceName: 'AWS::IAM::MFADevice',
  SAMLProviderArn: 'AWS::IAM::SAMLProvider',
  OpenIDConnectProviderArn: 'AWS::IAM::OIDCProvider',
  ServerCertificateName: 'AWS::IAM::ServerCertificate',
  AccountAlias: 'AWS::IAM::AccountAlias',
});

/**
 * Structures in a response whose members name the created or returned resource (CreateUser
 * returns `User.UserName`, CreateAccessKey `AccessKey.AccessKeyId`, AssumeRole
 * `Credentials.AccessKeyId` and `AssumedRoleUser.Arn`).
 */
const RESPONSE_STRUCTURES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  User: ['UserName'],
  Group: ['GroupName'],
  Role: ['RoleName'],
  Policy: ['Arn'],
  AccessKey: ['AccessKeyId'],
  InstanceProfile: ['InstanceProfileName'],
  VirtualMFADevice: ['SerialNumber'],
  Credentials: ['AccessKeyId'],
  AssumedRoleUser: ['Arn'],
});

const STRUCTURE_ENTRIES = Object.entries(RESPONSE_STRUCTURES);

const RESPONSE_ARN_TYPES: Readonly<Record<string, string>> = Object.freeze({
  Policy: 'AWS::IAM::Policy',
  AssumedRoleUser: 'AWS::STS::AssumedRole',
});

/**
 * The resources named by a request's parameters and, for creations, by its response.
 * Each (type, name) pair appears once, in the order found.
 */
export function extractResources(request: Record<string, unknown> | undefined, response?: Record<string, unknown>): AuditResource[] {
  const found: AuditResource[] = [];
  if (request) {
    for (const member in request) {
      // Own members only: a refused call's member named `constructor` must not find Object's.
      if (Object.hasOwn(RESOURCE_MEMBERS, member) && Object.hasOwn(request, member)) addResource(found, RESOURCE_MEMBERS[member]!, request[member]);
    }
  }
  if (!response) return found;
  for (const [structure, members] of STRUCTURE_ENTRIES) {
    const s = response[structure];
    if (s === null || typeof s !== 'object') continue;
    for (const m of members) {
      const type = m === 'Arn' ? RESPONSE_ARN_TYPES[structure] : RESOURCE_MEMBERS[m];
      if (type) addResource(found, type, (s as Record<string, unknown>)[m]);
    }
  }
  return found;
}

/** Adds (type, name) unless already found. A call names a handful at most: a scan, not a set per call. */
function addResource(found: AuditResource[], type: string, name: unknown): void {
  if (typeof name !== 'string' || name.length === 0) return;
  for (const r of found) if (r.type === type && r.name === name) return;
  found.push({ type, name });
}
