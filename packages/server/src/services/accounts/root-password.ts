/**
 * The root user's console password, set by the operator (`castellan root set-password`): checked
 * against the account's password policy, or AWS's default rules when it has none, and stored as
 * argon2id. The password itself is never logged, echoed or recorded.
 *
 * Each attempt is recorded in the account's trail as AWS records a root password change: sign-in's
 * `PasswordUpdated` (`signin.amazonaws.com`, an `AwsConsoleSignIn` event with root as the caller, no
 * request parameters, `responseElements` `{"PasswordUpdated":"Success"}`). The change and its event
 * are one transaction; a password the policy refuses is recorded as `"Failure"`, with the reason.
 *
 * @module
 */
import type { AuditEventInput } from '../../domain/ports/audit-event.js';
import type { RequestContext } from '../../domain/context.js';
import { hashPassword, passwordRules, passwordViolations } from '../iam/login-profiles.js';
import { AccountAdminError } from './hosted-accounts.js';
import { rootContext, type RootCallDeps } from './root-calls.js';

/** CloudTrail's event name for a root password change. */
export const ROOT_PASSWORD_EVENT = 'PasswordUpdated';

/**
 * Sets the root password of `accountId` (default: the account bootstrap made). Throws
 * `AccountAdminError` for an unknown account or a password the policy refuses. Returns the account id.
 */
export async function setRootPassword(deps: RootCallDeps, input: { accountId?: string | undefined; password: string; now: Date }): Promise<string> {
  const ctx = await rootContext(deps, input);
  const accountId = ctx.caller.accountId;
  const account = await deps.store.getAccount(accountId);
  if (!account) throw new AccountAdminError(`no account ${accountId}`);
  const violations = passwordViolations(input.password, passwordRules(account.passwordPolicyJson), { names: ['root'] });
  if (violations.length > 0) {
    const message = `the password does not meet the account's password policy: ${violations.join('; ')}`;
    await deps.audit.record(passwordEvent(deps, ctx, 'Failure', message));
    throw new AccountAdminError(message);
  }
  const hash = await hashPassword(input.password);
  await deps.store.transaction(async (tx) => {
    if (!(await tx.setRootPasswordHash(accountId, hash))) throw new AccountAdminError(`no account ${accountId}`);
    await deps.audit.recordInTransaction(passwordEvent(deps, ctx, 'Success'), tx);
  });
  return accountId;
}

/** The `PasswordUpdated` event of one attempt (the password is in none of its members). */
function passwordEvent(deps: RootCallDeps, ctx: RequestContext, outcome: 'Success' | 'Failure', errorMessage?: string): AuditEventInput {
  return {
    eventId: deps.ids.requestId(),
    requestId: deps.ids.requestId(),
    eventTime: ctx.now,
    service: 'signin',
    eventSource: 'signin.amazonaws.com',
    eventName: ROOT_PASSWORD_EVENT,
    eventType: 'AwsConsoleSignIn',
    region: ctx.region,
    global: true,
    sourceIp: ctx.sourceIp,
    userAgent: ctx.userAgent,
    caller: ctx.caller,
    accountId: ctx.caller.accountId,
    readOnly: false,
    response: { PasswordUpdated: outcome },
    ...(errorMessage ? { error: { code: 'PasswordUpdateFailure', message: errorMessage } } : {}),
  };
}
