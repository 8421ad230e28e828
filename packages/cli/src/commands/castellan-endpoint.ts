/**
 * The server a `castellan` command that calls IAM over HTTP talks to (`keys rotate`, `credentials
 * prune`): `--endpoint-url`, else `AWS_ENDPOINT_URL_IAM`, else `AWS_ENDPOINT_URL`. There is no
 * default: the SDK's would be AWS itself (`iam.amazonaws.com`), signed with whatever keys the
 * environment holds.
 */

/** The endpoint, or `undefined` when none is given (the caller says so and exits 2). */
export function castellanEndpoint(flag: string | undefined, env: Record<string, string | undefined>): string | undefined {
  for (const v of [flag, env['AWS_ENDPOINT_URL_IAM'], env['AWS_ENDPOINT_URL']]) if (v !== undefined && v.trim() !== '') return v.trim();
  return undefined;
}

/** What a command says when no endpoint is given. */
export const NO_ENDPOINT_MESSAGE = "no Castellan server: give --endpoint-url (or set AWS_ENDPOINT_URL_IAM or AWS_ENDPOINT_URL); without one the call would go to AWS's own iam.amazonaws.com";
