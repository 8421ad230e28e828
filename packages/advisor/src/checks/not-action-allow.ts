/**
 * Check `not-action-allow`: A policy allows everything except a list (`NotAction` with Allow).
 */
import type { Severity } from '../types.js';
import { withDetails, type Check } from './check.js';
import { onAnyResource } from './policy-uses.js';
import { statementChecks, statementFix, where } from './statement-findings.js';

export const notActionAllow: Check = {
  id: 'not-action-allow',
  practice: 2,
  title: 'A policy allows everything except a list (`NotAction` with Allow)',
  run(ctx) {
    return withDetails(ctx, () =>
      statementChecks(ctx, this, (st, use) => {
        if (st.effect !== 'Allow' || !st.notAction) return undefined;
        return {
          severity: onAnyResource(st) ? ('high' as Severity) : ('medium' as Severity),
          why: 'An allow-list inverted grants every action AWS adds in future, not only those you meant.',
          fix: statementFix(use, st.index, [], 'Replace the `NotAction` statement with an `Action` list of what is needed.'),
          details: `${where(use, st)} allows all but ${(st.notAction ?? []).map((a) => `\`${a}\``).join(', ')}`,
        };
      }),
    );
  },
};
