/**
 * What the operator's root commands share (`castellan root enable-mfa|deactivate-mfa|create-access-key`):
 * root of the account as the caller, and each IAM mutation run with its CloudTrail event in one
 * transaction, as the pipeline records a call (a failure recorded after the rollback).
 *
 * @module
 */
import { rootArn } from '../../domain/arn.js';
import type { Ids, Principal, RequestContext } from '../../domain/context.js';
import { AwsError } from '../../domain/errors.js';
import type { AuditEventInput } from '../../domain/ports/audit-event.js';
import type { AuditLog } from '../../domain/ports/audit-log.js';
import type { Store } from '../../store/store.js';
import { BOOTSTRAP_ACCOUNT_META } from '../bootstrap.js';
import { AccountAdminError } from './hosted-accounts.js';

/** What the operator's tools need: the store, ids, and the trail a mutation is written to in its transaction. */
export interface RootCallDeps {
  store: Store;
  ids: Ids;
  audit: AuditLog<Store>;
  /** Recorded as the events' `userAgent` (`castellan-cli`). */
  userAgent: string;
}

/** Root of the account (default: the one bootstrap made) as the caller of the recorded calls. */
export async function rootContext(deps: RootCallDeps, input: { accountId?: string | undefined; now: Date }): Promise<RequestContext> {
  const accountId = input.accountId ?? (await deps.store.getMeta(BOOTSTRAP_ACCOUNT_META));
  if (!accountId) throw new AccountAdminError('no account: give --account-id');
  if (!(await deps.store.getAccount(accountId))) throw new AccountAdminError(`no account ${accountId}`);
  const alias = (await deps.store.listAccountAliases(accountId))[0];
  const caller: Principal = { type: 'Root', accountId, arn: rootArn(accountId), principalId: accountId, ...(alias ? { accountAlias: alias } : {}), mfaAuthenticated: false };
  return { requestId: deps.ids.requestId(), now: input.now, caller, sourceIp: '127.0.0.1', userAgent: deps.userAgent, region: 'us-east-1' };
}

/**
 * Runs one IAM mutation with its event in the same transaction, as the pipeline does; a failure
 * (AWS's error) is recorded after the rollback and rethrown.
 */
export async function audited<T>(deps: RootCallDeps, ctx: RequestContext, eventName: string, request: Record<string, unknown>, run: (tx: Store) => Promise<T>, response?: (out: T) => Record<string, unknown>): Promise<T> {
  const event = (extra: Partial<AuditEventInput>): AuditEventInput => ({
    eventId: deps.ids.requestId(),
    requestId: deps.ids.requestId(),
    eventTime: ctx.now,
    service: 'iam',
    eventSource: 'iam.amazonaws.com',
    eventName,
    region: ctx.region,
    global: true,
    sourceIp: ctx.sourceIp,
    userAgent: ctx.userAgent,
    caller: ctx.caller,
    accountId: ctx.caller.accountId,
    request,
    readOnly: false,
    ...extra,
  });
  try {
    return await deps.store.transaction(async (tx) => {
      const out = await run(tx);
      await deps.audit.recordInTransaction(event(response ? { response: response(out) } : {}), tx);
      return out;
    });
  } catch (err) {
    if (err instanceof AwsError) await deps.audit.record(event({ error: { code: err.code, message: err.message } }));
    throw err;
  }
}
