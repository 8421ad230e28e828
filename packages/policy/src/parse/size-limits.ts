/**
 * AWS's policy size quotas. AWS does not count whitespace against them, except for session
 * policies, whose `Policy` parameter is limited to 2,048 characters of plain text.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
import type { PolicySizeClass } from '../types.js';

/** The character limit for each size class, and whether whitespace counts. */
export const POLICY_SIZE_LIMITS: Readonly<Record<Exclude<PolicySizeClass, 'none'>, { limit: number; countsWhitespace: boolean; what: string }>> = {
  managed: { limit: 6144, countsWhitespace: false, what: 'a managed policy' },
  userInline: { limit: 2048, countsWhitespace: false, what: "a user's inline policies" },
  groupInline: { limit: 5120, countsWhitespace: false, what: "a group's inline policies" },
  roleInline: { limit: 10240, countsWhitespace: false, what: "a role's inline policies" },
  trust: { limit: 2048, countsWhitespace: false, what: 'a role trust policy' },
  session: { limit: 2048, countsWhitespace: true, what: 'a session policy' },
};

/** The size of a document as AWS counts it for the size class. */
export function policySize(text: string, sizeClass: Exclude<PolicySizeClass, 'none'>): number {
  if (POLICY_SIZE_LIMITS[sizeClass].countsWhitespace) return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) n++;
  }
  return n;
}
