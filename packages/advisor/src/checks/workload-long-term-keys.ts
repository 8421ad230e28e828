/**
 * Check `workload-long-term-keys`: A user's long-term access key is used from AWS compute.
 */
import { assessed, notAssessed, shellQuote, NEED_TRAIL, type Check } from './check.js';

/** AWS SDKs add `exec-env/AWS_Lambda_…` (or `md/exec-env#…`) to the user agent inside AWS compute. */
const COMPUTE_USER_AGENT = /exec-env[/#](AWS_(?:Lambda|ECS|Fargate|ECS_FARGATE|ECS_EC2)[^\s]*)/i;

export const workloadLongTermKeys: Check = {
  id: 'workload-long-term-keys',
  practice: 11,
  title: "A user's long-term access key is used from AWS compute",
  run(ctx) {
    const trail = ctx.inputs.trail;
    if (!trail) return notAssessed(`${NEED_TRAIL} (the user agent shows calls from Lambda and ECS; calls from EC2 cannot be told apart)`);
    const byUser = new Map<string, { arn: string; env: Set<string>; keys: Set<string> }>();
    for (const r of trail) {
      if (r.identity.type !== 'IAMUser' || !r.identity.arn || !r.identity.accessKeyId?.startsWith('AKIA')) continue;
      const m = COMPUTE_USER_AGENT.exec(r.userAgent ?? '');
      if (!m) continue;
      const e = byUser.get(r.identity.arn) ?? { arn: r.identity.arn, env: new Set<string>(), keys: new Set<string>() };
      e.env.add(m[1]!);
      e.keys.add(r.identity.accessKeyId);
      byUser.set(r.identity.arn, e);
    }
    return assessed(
      [...byUser.values()].map((u) => {
        const name = u.arn.slice(u.arn.lastIndexOf('/') + 1);
        return {
          checkId: this.id,
          practice: 11 as const,
          severity: 'medium' as const,
          title: this.title,
          entities: [{ type: 'user' as const, name, arn: u.arn }, ...[...u.keys].map((k) => ({ type: 'accessKey' as const, name: k }))],
          why: 'A key baked into a workload never expires and leaks with its configuration; the execution role gives temporary credentials instead.',
          fix: { kind: 'command' as const, command: `aws iam update-access-key --user-name ${shellQuote(name)} --access-key-id ${[...u.keys][0]} --status Inactive  # after giving the function or task an execution role` },
          details: `called from ${[...u.env].join(', ')}`,
        };
      }),
    );
  },
};
