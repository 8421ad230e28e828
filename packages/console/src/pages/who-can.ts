/**
 * "Who can do this action on this resource?": IAM has no such call, so the console asks
 * SimulatePrincipalPolicy for each user and role it lists, a few at a time, and keeps the answers.
 * Each answer is that principal's identity-based policies (its groups' too) and boundary, as the
 * simulator evaluates them; resource policies are not part of it.
 */

/** At most this many principals are simulated per question. */
export const WHO_CAN_LIMIT = 500;
/** Simulations in flight at once: quick enough, and far below the server's per-key rate limit. */
const CONCURRENCY = 4;

export interface WhoCanAnswer {
  principal: string;
  /** `allowed`, `explicitDeny` or `implicitDeny` (the simulator's EvalDecision), or `error`. */
  decision: string;
  /** The deciding policies (`SourcePolicyId (SourcePolicyType)`), or the error text. */
  why: string[];
}

/**
 * Simulates `principals` (the first {@link WHO_CAN_LIMIT}) with `simulate`, {@link CONCURRENCY} at a
 * time, answering in the principals' order; `progress` hears how many are done.
 */
export async function whoCan(
  principals: string[],
  simulate: (principal: string) => Promise<{ decision: string; why: string[] }>,
  progress: (done: number) => void = () => {},
): Promise<WhoCanAnswer[]> {
  const asked = principals.slice(0, WHO_CAN_LIMIT);
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
        answers[i] = { principal, decision: 'error', why: [e instanceof Error ? e.message : String(e)] };
      }
      progress(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, asked.length) }, worker));
  return answers;
}
