import type { Principal } from './context.js';

/** Test-only principals (excluded from the build by the `test-` prefix). */

/** The account root of a test account. */
export function rootPrincipal(accountId = '123456789012', accessKeyId = 'AKIACASTELLANTEST001'): Principal {
  return { type: 'Root', accountId, arn: `arn:aws:iam::${accountId}:root`, principalId: accountId, accessKeyId, mfaAuthenticated: false };
}

/** An IAM user of a test account. */
export function userPrincipal(name: string, accountId = '123456789012', accessKeyId = 'AKIACASTELLANUSER001'): Principal {
  return {
    type: 'IAMUser',
    accountId,
    arn: `arn:aws:iam::${accountId}:user/${name}`,
    principalId: 'AIDACASTELLANUSER0001',
    userName: name,
    accessKeyId,
    mfaAuthenticated: false,
  };
}
