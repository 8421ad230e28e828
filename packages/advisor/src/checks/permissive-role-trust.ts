/**
 * Check `permissive-role-trust`: A role trusts everyone, or another account without ExternalId or conditions.
 */
import { parsePolicy } from '@castellan/policy';
import { lineDiff, prettyJson } from '../diff/line-diff.js';
import { accountOf } from '../inputs/authorization-details.js';
import type { EntityRef, Finding } from '../types.js';
import { withDetails, shellQuote, type Check } from './check.js';
import { actionMatches } from '../wildcard.js';

const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity'];

export const permissiveTrust: Check = {
  id: 'permissive-role-trust',
  practice: 10,
  title: 'A role trusts everyone, or another account without ExternalId or conditions',
  run(ctx) {
    return withDetails(ctx, (d) => {
      const findings: Finding[] = [];
      for (const role of d.roles) {
        const parsed = role.trustPolicy === undefined ? undefined : parsePolicy(role.trustPolicy, { kind: 'trust' });
        if (!parsed?.ok) continue;
        const own = accountOf(role.arn);
        for (const st of parsed.policy.statements) {
          if (st.effect !== 'Allow' || !st.principal || !(st.action ?? []).some((a) => ASSUME_ACTIONS.some((x) => actionMatches(a, x)))) continue;
          const everyone = st.principal.wildcard || st.principal.aws.includes('*');
          const foreign = st.principal.aws.filter((a) => a !== '*' && accountOf(a) !== undefined && accountOf(a) !== own);
          const unconditioned = st.conditions.length === 0;
          if (!(everyone && unconditioned) && !(foreign.length > 0 && unconditioned)) continue;
          const ref: EntityRef = { type: 'role', name: role.name, arn: role.arn };
          const written = role.trustPolicy as { Statement?: unknown };
          const list = Array.isArray(written.Statement) ? [...(written.Statement as unknown[])] : [written.Statement];
          const stWritten = (list[st.index] ?? {}) as Record<string, unknown>;
          list[st.index] = everyone
            ? { ...stWritten, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-ORGANIZATION_ID' } } }
            : { ...stWritten, Condition: { StringEquals: { 'sts:ExternalId': 'EXTERNAL_ID_AGREED_WITH_THE_OTHER_ACCOUNT' } } };
          const after = { ...written, Statement: list };
          findings.push({
            checkId: this.id,
            practice: 10,
            severity: everyone ? 'critical' : 'high',
            title: everyone ? 'A role trusts every AWS principal' : 'A role trusts another account without ExternalId or conditions',
            entities: [ref],
            why: everyone
              ? 'Anyone with an AWS account can assume the role and use its permissions.'
              : 'Anyone the other account lets call sts:AssumeRole, including a confused deputy acting for a third party, gets the role.',
            fix: { kind: 'policyDiff', description: `Add a condition to the trust policy, then: aws iam update-assume-role-policy --role-name ${shellQuote(role.name)} --policy-document file://trust.json`, diff: lineDiff(prettyJson(written), prettyJson(after)) },
            details: everyone ? `Statement[${st.index}] has Principal \`*\`` : `Statement[${st.index}] trusts ${foreign.join(', ')}`,
          });
        }
      }
      return findings;
    });
  },
};
