/**
 * The authorizer port now lives in `domain/ports/authorizer.ts` (services implement it without
 * importing the pipeline). Re-exported here for modules not yet moved to the new path.
 * @deprecated Import from `domain/ports/authorizer.js`.
 */
export type { AuthorizationDecision, AuthorizationRequest, Authorizer, ConditionContext } from '../domain/ports/authorizer.js';
