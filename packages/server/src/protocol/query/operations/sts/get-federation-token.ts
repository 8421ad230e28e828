import { stsOperation } from '../../../define-operation.js';
import { federatedUserArn, getFederationToken as getFederationTokenService } from '../../../../services/sts/get-federation-token.js';
import { refuseSessionCaller } from '../../../../services/sts/session-callers.js';
import { sessionTagKeys, toWireCredentials } from './sts-wire.js';

/** sts:GetFederationToken on the federated user's ARN; session tags need sts:TagSession too. */
export const getFederationToken = stsOperation('GetFederationToken', {
  resource: (input, ctx) => {
    // AWS refuses session credentials before it looks at any policy.
    refuseSessionCaller(ctx.caller, 'GetFederationToken');
    return federatedUserArn(ctx.caller.accountId, input.Name);
  },
  alsoAuthorizedActions: (input) => ((input.Tags?.length ?? 0) > 0 ? ['sts:TagSession'] : []),
  conditionKeys: (input) => sessionTagKeys(input.Tags, undefined),
  execute: async (input, ctx, deps) => {
    const r = await getFederationTokenService(
      deps,
      { name: input.Name, durationSeconds: input.DurationSeconds, policy: input.Policy, policyArns: input.PolicyArns, tags: input.Tags },
      ctx,
    );
    return {
      Credentials: toWireCredentials(r.credentials),
      FederatedUser: { FederatedUserId: r.federatedUser.federatedUserId, Arn: r.federatedUser.arn },
      ...(r.packedPolicySize !== undefined ? { PackedPolicySize: r.packedPolicySize } : {}),
    };
  },
});
