import { accessDeniedMessage } from '@castellan/policy';
import { AccessDeniedError } from './errors.js';
import type { AuthorizationDecision } from './ports/authorizer.js';

/**
 * AWS's `AccessDenied` for a denied decision, worded as AWS words it ("User: arn:… is not
 * authorized to perform: iam:CreateUser on resource: arn:… because no identity-based policy allows
 * the iam:CreateUser action"). The one way a denial becomes an error.
 */
export function denialError(answer: AuthorizationDecision): AccessDeniedError {
  // An identity provider's user (AssumeRoleWithWebIdentity/SAML) has no ARN to name: AWS answers
  // "Not authorized to perform sts:AssumeRoleWithWebIdentity".
  const message = answer.evaluated.principal.provider !== undefined ? `Not authorized to perform ${answer.evaluated.action}` : accessDeniedMessage(answer.evaluated, answer.decision);
  const error = new AccessDeniedError(message);
  if (answer.encodedMessage !== undefined) error.encodedAuthorizationMessage = answer.encodedMessage;
  return error;
}
