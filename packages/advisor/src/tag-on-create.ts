/**
 * Tag-on-create: AWS authorizes a create that carries tags twice, the create action and the
 * resource type's tagging action, both on the new resource and both with the request's
 * `aws:RequestTag/${TagKey}` and `aws:TagKeys` (IAM User Guide, "Permissions required for tagging
 * IAM resources": to create a user with tags a principal needs `iam:CreateUser` and `iam:TagUser`).
 * A principal allowed only `iam:CreateRole` that passes `Tags` is refused with
 * "… is not authorized to perform: iam:TagRole on resource: arn:aws:iam::…:role/… because no
 * identity-based policy allows the iam:TagRole action", the refusal public reports quote.
 *
 * One table for the server's pipeline (which authorizes the second action) and the policy
 * generator (which must grant it), so the two cannot disagree.
 * @module
 */

/** The tagging action a create of each IAM resource type also needs when its input has tags. */
export const TAG_ON_CREATE: Readonly<Record<string, string>> = Object.freeze({
  'iam:CreateUser': 'iam:TagUser',
  'iam:CreateRole': 'iam:TagRole',
  'iam:CreatePolicy': 'iam:TagPolicy',
  'iam:CreateInstanceProfile': 'iam:TagInstanceProfile',
  'iam:CreateOpenIDConnectProvider': 'iam:TagOpenIDConnectProvider',
  'iam:CreateSAMLProvider': 'iam:TagSAMLProvider',
  'iam:CreateVirtualMFADevice': 'iam:TagMFADevice',
  'iam:UploadServerCertificate': 'iam:TagServerCertificate',
});

/** The tagging action `action` (`iam:CreateUser`, any case) also needs when it carries tags, or undefined. */
export function tagActionOnCreate(action: string): string | undefined {
  return TAG_ON_CREATE_LOWER.get(action.toLowerCase());
}

const TAG_ON_CREATE_LOWER = new Map(Object.entries(TAG_ON_CREATE).map(([create, tag]) => [create.toLowerCase(), tag]));
