/**
 * What the audit trail and the log may keep of the access key id a request claims before it is
 * proven. A user who pastes the 40-character secret where the key id belongs (the `Credential=` of
 * the Authorization header, or `X-Amz-Credential`) must not have it written to the permanent trail.
 *
 * Rule: a claimed id is kept when it has the shape of an AWS access key id (`AKIA`/`ASIA` and 16
 * upper-case letters or digits, the form AWS and Castellan issue) or when it names a key the server
 * knows (a fixed bootstrap key such as `minio`); anything else is kept only as a placeholder with its
 * length, enough to tell "a secret was pasted" from "a key id was mistyped".
 */

/** The shape of an access key id AWS (and Castellan) issues: long-term `AKIA…`, temporary `ASIA…`. */
export const ACCESS_KEY_ID_SHAPE = /^(?:AKIA|ASIA)[A-Z0-9]{16}$/;

/** What a claimed id that is not recordable becomes, e.g. `HIDDEN_DUE_TO_SECURITY_REASONS (40 characters)`. */
export function unrecordedAccessKeyId(length: number): string {
  return `HIDDEN_DUE_TO_SECURITY_REASONS (${length} characters)`;
}

/** The claimed id as the audit trail and the log may show it. */
export function recordableAccessKeyId(claimed: string, known: boolean): string {
  return known || ACCESS_KEY_ID_SHAPE.test(claimed) ? claimed : unrecordedAccessKeyId(claimed.length);
}
