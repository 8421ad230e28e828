import type { Principal } from './context.js';
import type { AuthenticationFacts } from './ports/authenticator.js';

/**
 * The facts a credential carries about its own issue: for temporary credentials, when they were
 * issued, whether MFA was used to get them, and their session tags. Long-term keys carry none.
 */
export function credentialFacts(p: Principal): Pick<AuthenticationFacts, 'temporaryCredentials' | 'mfaAuthenticatedAt' | 'tokenIssuedAt' | 'sessionTags' | 'sourceIdentity'> {
  if (!p.session) return { temporaryCredentials: false };
  return {
    temporaryCredentials: true,
    tokenIssuedAt: p.session.createdAt,
    ...(p.session.mfaAuthenticated ? { mfaAuthenticatedAt: p.session.mfaAuthenticatedAt ?? p.session.createdAt } : {}),
    ...(p.session.tags ? { sessionTags: p.session.tags } : {}),
    ...(p.session.sourceIdentity !== undefined ? { sourceIdentity: p.session.sourceIdentity } : {}),
  };
}
