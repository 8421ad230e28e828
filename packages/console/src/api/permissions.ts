/**
 * What the signed-in user may do, asked of the server (castellan:GetCallerPermissions, README "Web
 * console"): pages ask about the actions of their edit controls, and those the engine denies are
 * disabled with the reason. The questions of one render are sent together (at most 100 a call, and 20,480 characters), the
 * answers kept for {@link PERMISSION_MAX_AGE_MS} and until the tab is shown again (api/permission-cache.ts), a change
 * made from this tab (any IAM call that is not a read), or the session's end.
 *
 * Only a sure denial disables: an answer that depends on a condition key only the action's own
 * request carries (the resource's tags, request tags) leaves the control to the server, as does any
 * failure to ask (a Deny of castellan:GetCallerPermissions, a server without it).
 */
import { afterChanges, castellan, query } from './aws-call.js';
import { ACCOUNT } from './iam-arn.js';
import { PermissionCache, type Check } from './permission-cache.js';

/** The answer for one action on one resource. */
export type Permission =
  | { state: 'allowed' }
  /** Denied whatever the action's request says: the control is disabled. */
  | { state: 'denied'; effect: 'explicitDeny' | 'implicitDeny'; deniedBy: string; message: string; encodedMessage?: string }
  /** Allowed or not depending on keys only the request itself has, or not asked: the server decides. */
  | { state: 'unknown'; dependsOn: string[] };

interface Result {
  Action: string;
  Resource: string;
  Effect: 'allow' | 'explicitDeny' | 'implicitDeny';
  DeniedBy?: string;
  MissingContextKeys: string[];
  Message?: string;
  EncodedMessage?: string;
}

/** The most checks one call takes (the operation's limit). */
export const CHECKS_PER_CALL = 100;

/** The most characters one call's actions and resources may have together (the operation's limit). */
export const CHECKS_TEXT_PER_CALL = 20_480;

/** `checks` in calls the operation takes: at most {@link CHECKS_PER_CALL}, and {@link CHECKS_TEXT_PER_CALL} characters, each. */
export function callsOf<C extends { action: string; resource: string }>(checks: readonly C[]): C[][] {
  const calls: C[][] = [];
  let text = Infinity;
  for (const c of checks) {
    const size = c.action.length + c.resource.length;
    const last = calls[calls.length - 1];
    if (!last || last.length >= CHECKS_PER_CALL || text + size > CHECKS_TEXT_PER_CALL) {
      calls.push([c]);
      text = size;
    } else {
      last.push(c);
      text += size;
    }
  }
  return calls;
}

export { ACCOUNT, iamArn } from './iam-arn.js';

let identity: Promise<{ account: string; arn: string }> | undefined;

/** Who is signed in (sts:GetCallerIdentity, which AWS never denies): the account id and the caller's ARN. */
export function callerIdentity(): Promise<{ account: string; arn: string }> {
  identity ??= query('sts', 'GetCallerIdentity').then((r) => ({ account: String(r['Account']), arn: String(r['Arn']) }));
  identity.catch(() => (identity = undefined));
  return identity;
}

/**
 * How long an answer is used: a permission another administrator grants or revokes shows within
 * this time on an open page (or at once when the tab is shown again), at one batched call per page.
 */
export const PERMISSION_MAX_AGE_MS = 30_000;

const UNKNOWN: Permission = { state: 'unknown', dependsOn: [] };

const cache = new PermissionCache<Permission>({
  ask: askServer,
  failed: UNKNOWN,
  maxAgeMs: PERMISSION_MAX_AGE_MS,
  ...(typeof document === 'undefined' ? {} : { visibility: document }),
});

/** Whether the signed-in user may perform `action` on `resource` (an ARN, maybe with {@link ACCOUNT}, or `*`). */
export function permission(action: string, resource: string): Promise<Permission> {
  return cache.get(action, resource);
}

/** One batch of checks, in as many calls as the operation's limits want; a call that fails answers "unknown". */
async function askServer(checks: Check[]): Promise<Permission[]> {
  let account: string;
  try {
    account = (await callerIdentity()).account;
  } catch {
    return checks.map(() => UNKNOWN);
  }
  const named = checks.map((c) => ({ action: c.action, resource: c.resource.replace(ACCOUNT, account) }));
  const answers: Permission[] = [];
  for (const part of callsOf(named)) {
    try {
      const { Results } = await castellan<{ Results: Result[] }>('GetCallerPermissions', { Checks: part.map((p) => ({ Action: p.action, Resource: p.resource })) });
      answers.push(...part.map((_, n) => toPermission(Results[n])));
    } catch {
      answers.push(...part.map(() => UNKNOWN));
    }
  }
  return answers;
}

/** The control's state from the server's answer: disabled only for a denial that depends on nothing missing. */
export function toPermission(r: Result | undefined): Permission {
  if (!r) return { state: 'unknown', dependsOn: [] };
  if (r.Effect === 'allow') return { state: 'allowed' };
  if (r.MissingContextKeys.length > 0) return { state: 'unknown', dependsOn: r.MissingContextKeys };
  return { state: 'denied', effect: r.Effect, deniedBy: r.DeniedBy ?? 'identity', message: r.Message ?? '', ...(r.EncodedMessage ? { encodedMessage: r.EncodedMessage } : {}) };
}

/** Calls `fn` whenever the answers are forgotten or stale (pages ask again). Returns the unsubscribe. */
export function whenPermissionsChange(fn: () => void): () => void {
  return cache.subscribe(fn);
}

/** Forgets every answer (and, when the session ended, who signed in): the next render asks again. */
export function forgetPermissions(sessionEnded = false): void {
  if (sessionEnded) identity = undefined;
  cache.forget();
}

// A change made from this tab (a policy attached, a user added to a group) may change what the user may do.
afterChanges(() => forgetPermissions());
