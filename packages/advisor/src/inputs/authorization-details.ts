/**
 * `aws iam get-account-authorization-details` output, normalized: users, groups, roles and the
 * managed policies they reference, with policy documents as parsed JSON values.
 */

/** A policy document by name, inline or managed. */
export interface NamedDocument {
  readonly name: string;
  /** The policy ARN for a managed policy; undefined for an inline policy. */
  readonly arn?: string;
  /** The document as a JSON value, or undefined when the export does not contain it. */
  readonly document: unknown;
}

export interface UserDetail {
  readonly name: string;
  readonly arn: string;
  readonly createDate?: string;
  readonly inlinePolicies: readonly NamedDocument[];
  readonly attachedPolicyArns: readonly string[];
  readonly groups: readonly string[];
  readonly boundaryArn?: string;
}

export interface GroupDetail {
  readonly name: string;
  readonly arn: string;
  readonly inlinePolicies: readonly NamedDocument[];
  readonly attachedPolicyArns: readonly string[];
}

export interface RoleDetail {
  readonly name: string;
  readonly arn: string;
  readonly path: string;
  readonly trustPolicy: unknown;
  readonly inlinePolicies: readonly NamedDocument[];
  readonly attachedPolicyArns: readonly string[];
  readonly boundaryArn?: string;
  readonly instanceProfiles: readonly { readonly name: string; readonly arn: string }[];
  readonly lastUsed?: string;
}

export interface ManagedPolicyDetail {
  readonly name: string;
  readonly arn: string;
  /** The default version's document. */
  readonly document: unknown;
  readonly defaultVersionId?: string;
  readonly versionIds: readonly string[];
  /** True for `arn:aws:iam::aws:policy/…`. */
  readonly awsManaged: boolean;
}

/** The account as the export describes it. */
export interface AuthorizationDetails {
  readonly accountId?: string;
  readonly users: readonly UserDetail[];
  readonly groups: readonly GroupDetail[];
  readonly roles: readonly RoleDetail[];
  readonly policies: ReadonlyMap<string, ManagedPolicyDetail>;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Policy documents come as JSON objects from the AWS CLI, and as URL-encoded JSON text from the
 * raw API (and from some SDKs): accept both.
 */
export function decodePolicyDocument(doc: unknown): unknown {
  if (typeof doc !== 'string') return doc;
  let text = doc;
  if (/^\s*%7B/i.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return undefined;
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function inline(v: unknown): NamedDocument[] {
  return list(v).map((p) => ({ name: str(p['PolicyName']) ?? '(unnamed)', document: decodePolicyDocument(p['PolicyDocument']) }));
}

function attached(v: unknown): string[] {
  return list(v).flatMap((p) => (str(p['PolicyArn']) ? [str(p['PolicyArn'])!] : []));
}

function boundary(v: unknown): string | undefined {
  return isObject(v) ? str(v['PermissionsBoundaryArn']) : undefined;
}

/** The account id in an ARN (`arn:aws:iam::123456789012:user/x`). */
export function accountOf(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[4] && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
}

/** Reads the export; returns undefined when the value is not one. */
export function readAuthorizationDetails(value: unknown): AuthorizationDetails | undefined {
  if (!isObject(value) || !('UserDetailList' in value || 'RoleDetailList' in value || 'GroupDetailList' in value)) return undefined;
  const users: UserDetail[] = list(value['UserDetailList']).map((u) => ({
    name: str(u['UserName']) ?? '',
    arn: str(u['Arn']) ?? '',
    ...(str(u['CreateDate']) ? { createDate: str(u['CreateDate'])! } : {}),
    inlinePolicies: inline(u['UserPolicyList']),
    attachedPolicyArns: attached(u['AttachedManagedPolicies']),
    groups: Array.isArray(u['GroupList']) ? u['GroupList'].filter((g): g is string => typeof g === 'string') : [],
    ...(boundary(u['PermissionsBoundary']) ? { boundaryArn: boundary(u['PermissionsBoundary'])! } : {}),
  }));
  const groups: GroupDetail[] = list(value['GroupDetailList']).map((g) => ({
    name: str(g['GroupName']) ?? '',
    arn: str(g['Arn']) ?? '',
    inlinePolicies: inline(g['GroupPolicyList']),
    attachedPolicyArns: attached(g['AttachedManagedPolicies']),
  }));
  const roles: RoleDetail[] = list(value['RoleDetailList']).map((r) => {
    const lastUsed = isObject(r['RoleLastUsed']) ? str(r['RoleLastUsed']['LastUsedDate']) : undefined;
    return {
      name: str(r['RoleName']) ?? '',
      arn: str(r['Arn']) ?? '',
      path: str(r['Path']) ?? '/',
      trustPolicy: decodePolicyDocument(r['AssumeRolePolicyDocument']),
      inlinePolicies: inline(r['RolePolicyList']),
      attachedPolicyArns: attached(r['AttachedManagedPolicies']),
      ...(boundary(r['PermissionsBoundary']) ? { boundaryArn: boundary(r['PermissionsBoundary'])! } : {}),
      instanceProfiles: list(r['InstanceProfileList']).map((p) => ({ name: str(p['InstanceProfileName']) ?? '', arn: str(p['Arn']) ?? '' })),
      ...(lastUsed ? { lastUsed } : {}),
    };
  });
  const policies = new Map<string, ManagedPolicyDetail>();
  for (const p of list(value['Policies'])) {
    const arn = str(p['Arn']);
    if (!arn) continue;
    const versions = list(p['PolicyVersionList']);
    const defaultVersionId = str(p['DefaultVersionId']);
    const def = versions.find((v) => v['IsDefaultVersion'] === true) ?? versions.find((v) => v['VersionId'] === defaultVersionId);
    policies.set(arn, {
      name: str(p['PolicyName']) ?? arn.slice(arn.lastIndexOf('/') + 1),
      arn,
      document: def ? decodePolicyDocument(def['Document']) : undefined,
      ...(defaultVersionId ? { defaultVersionId } : {}),
      versionIds: versions.flatMap((v) => (str(v['VersionId']) ? [str(v['VersionId'])!] : [])),
      awsManaged: arn.includes(':iam::aws:policy/'),
    });
  }
  const accountId = [...users, ...roles, ...groups].map((e) => accountOf(e.arn)).find((a) => a !== undefined);
  return { ...(accountId ? { accountId } : {}), users, groups, roles, policies };
}
