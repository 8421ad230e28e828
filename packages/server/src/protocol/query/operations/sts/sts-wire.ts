/**
 * What the STS operations share on the wire: credentials and the session condition keys.
 *
 * @module
 */
import type { ConditionContext } from '../../../../domain/ports/authorizer.js';
import type { TemporaryCredentials } from '../../../../services/sts/session-credentials.js';
import type { Credentials, Tag } from '../../../model/sts-types.js';

/** The Credentials shape. */
export function toWireCredentials(c: TemporaryCredentials): Credentials {
  return { AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, SessionToken: c.sessionToken, Expiration: c.expiration };
}

/** `aws:RequestTag/…`, `aws:TagKeys` and `sts:TransitiveTagKeys` of a call that sets session tags. */
export function sessionTagKeys(tags: readonly Tag[] | undefined, transitive: readonly string[] | undefined): ConditionContext {
  const out: ConditionContext = {};
  if (tags && tags.length > 0) {
    for (const t of tags) out[`aws:RequestTag/${t.Key}`] = t.Value;
    out['aws:TagKeys'] = tags.map((t) => t.Key);
  }
  if (transitive && transitive.length > 0) out['sts:TransitiveTagKeys'] = [...transitive];
  return out;
}
