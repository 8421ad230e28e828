/**
 * "Who can do this action on this resource?": IAM has no such call, so the console asks
 * SimulatePrincipalPolicy for each user and role it lists, a few at a time, and keeps the answers.
 * Each answer is that principal's identity-based policies (its groups' too) and boundary, as the
 * simulator evaluates them: resource policies (a role's trust policy too) are not part of it, and a
 * condition key the simulator is not given is absent, so an answer names the keys it depends on.
 */
import { userOrRoleOfArn } from './principal-kinds.js';

/** At most this many users, and this many roles, are simulated per question. */
export const WHO_CAN_LIMIT = 500;
/** Simulations in flight at once: quick enough, and far below the server's per-key rate limit. */
const CONCURRENCY = 4;

export interface WhoCanAnswer {
  principal: string;
  /** `allowed`, `explicitDeny` or `implicitDeny` (the simulator's EvalDecision), or `error`. */
  decision: string;
  /** The deciding policies (`SourcePolicyId (SourcePolicyType)`), or the error text. */
  why: string[];
  /** The condition keys the decision depends on that the simulation was not given (its MissingContextValues): taken as absent. */
  dependsOn: string[];
}

/** Which principals a question simulates: the first {@link WHO_CAN_LIMIT} users and the first {@link WHO_CAN_LIMIT} roles, each kind bounded apart. */
export interface WhoCanScope {
  asked: string[];
  users: { listed: number; asked: number };
  roles: { listed: number; asked: number };
}

export function whoCanScope(principals: string[]): WhoCanScope {
  const users = principals.filter((p) => userOrRoleOfArn(p)?.kind === 'user');
  const roles = principals.filter((p) => userOrRoleOfArn(p)?.kind === 'role');
  const asked = [...users.slice(0, WHO_CAN_LIMIT), ...roles.slice(0, WHO_CAN_LIMIT)];
  return { asked, users: { listed: users.length, asked: Math.min(users.length, WHO_CAN_LIMIT) }, roles: { listed: roles.length, asked: Math.min(roles.length, WHO_CAN_LIMIT) } };
}

/**
 * Simulates the principals of `scope` ({@link whoCanScope}) with `simulate`, {@link CONCURRENCY} at a
 * time, answering in their order; `progress` hears how many are done.
 */
export async function whoCan(
  scope: Pick<WhoCanScope, 'asked'>,
  simulate: (principal: string) => Promise<{ decision: string; why: string[]; dependsOn: string[] }>,
  progress: (done: number) => void = () => {},
): Promise<WhoCanAnswer[]> {
  const { asked } = scope;
  const answers: WhoCanAnswer[] = new Array(asked.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < asked.length) {
      const i = next++;
      const principal = asked[i]!;
      try {
        answers[i] = { principal, ...(await simulate(principal)) };
      } catch (e) {
        answers[i] = { principal, decision: 'error', why: [e instanceof Error ? e.message : String(e)], dependsOn: [] };
      }
      progress(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, asked.length) }, worker));
  return answers;
}
