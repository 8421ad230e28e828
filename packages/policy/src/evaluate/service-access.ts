/**
 * Which statements of a policy give access to a service, as IAM's ListPoliciesGrantingServiceAccess
 * and last-accessed reports read policies: an Allow statement whose Action names (or whose NotAction
 * leaves out) at least one of the service's actions. Resource and Condition are not considered, and
 * Deny statements take nothing away: the question is which policies could grant the access, not
 * whether one request would be allowed.
 */
import { compileActions } from '../compile/action-matcher.js';
import type { Policy, Statement } from '../types.js';

/**
 * The Allow statements of `policy` that grant at least one action of `service`, given the service's
 * action names (from AWS's catalogue, e.g. `GetObject`). An action the catalogue does not list
 * (`s3:NoSuchThing`) grants nothing; `*`, `s3:*` and `s3:Get*` grant S3 when it has such an action;
 * `NotAction: "s3:*"` grants every service but S3.
 */
export function statementsGrantingService(policy: Policy, service: string, actionNames: readonly string[]): Statement[] {
  if (actionNames.length === 0) return [];
  const prefix = `${service.toLowerCase()}:`;
  // Built only when a statement names the service: most statements of most policies do not.
  let actions: string[] | undefined;
  const lowered = () => (actions ??= actionNames.map((name) => prefix + name.toLowerCase()));
  return policy.statements.filter((st) => st.effect === 'Allow' && grants(st, prefix, lowered));
}

function grants(st: Statement, prefix: string, actions: () => readonly string[]): boolean {
  // An entry names this service's actions if it is `*`, starts with its prefix, or has a wildcard
  // in its service part. IAM refuses the last (`Action vendors … must not contain wildcards`) and
  // so does the parser, but a Policy built otherwise must not grant nothing with `*:*` nor every
  // service with `NotAction: "*:Get*"`: such an entry is matched against every service's actions.
  const relevant = (st.action ?? st.notAction ?? []).filter((entry) => entry === '*' || entry.slice(0, prefix.length).toLowerCase() === prefix || wildcardVendor(entry));
  if (relevant.length === 0) return st.action === undefined;
  const matches = compileActions(relevant);
  return st.action ? actions().some(matches) : actions().some((a) => !matches(a));
}

function wildcardVendor(entry: string): boolean {
  const colon = entry.indexOf(':');
  return colon > 0 && /[*?]/.test(entry.slice(0, colon));
}
