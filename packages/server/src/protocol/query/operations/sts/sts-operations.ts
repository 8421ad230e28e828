/**
 * Every STS operation Castellan implements, for `OperationRegistry.register(...STS_OPERATIONS)`.
 *
 * @module
 */
import type { AnyOperation } from '../../../define-operation.js';
import { getCallerIdentity } from './get-caller-identity.js';
import { assumeRole } from './assume-role.js';
import { assumeRoleWithWebIdentity } from './assume-role-with-web-identity.js';
import { assumeRoleWithSAML } from './assume-role-with-saml.js';
import { getSessionToken } from './get-session-token.js';
import { getFederationToken } from './get-federation-token.js';
import { getAccessKeyInfo } from './get-access-key-info.js';
import { decodeAuthorizationMessage } from './decode-authorization-message.js';

/** The STS operations. */
export const STS_OPERATIONS: ReadonlyArray<AnyOperation> = [
  getCallerIdentity,
  assumeRole,
  assumeRoleWithWebIdentity,
  assumeRoleWithSAML,
  getSessionToken,
  getFederationToken,
  getAccessKeyInfo,
  decodeAuthorizationMessage,
];
