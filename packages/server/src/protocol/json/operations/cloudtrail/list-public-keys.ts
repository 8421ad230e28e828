/**
 * cloudtrail:ListPublicKeys: the public key that verifies Castellan's digest files (DER
 * SubjectPublicKeyInfo of an Ed25519 key; AWS returns PKCS#1 RSA keys), with its fingerprint as
 * digests name it. The key is valid from its creation and has no end until it is replaced. One
 * page: a NextToken, never issued, is `InvalidTokenException`, the token error the model lists for
 * ListPublicKeys (its `NextToken` is "reserved for future use"), as for ListTags.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListPublicKeys.html
 */
import { cloudTrailOperation } from '../../../define-operation.js';
import type { TrailPublicKey } from '../../../../audit/export/signing-key.js';
import type { ListPublicKeysResponse } from '../../../model/cloudtrail-types.js';
import { InvalidTimeRangeError, InvalidTokenError } from '../../../../services/cloudtrail/cloudtrail-errors.js';

/**
 * The ListPublicKeys operation for the digest signing key.
 *
 * @example
 * ```ts
 * const key = await loadOrCreateSigningKey(config.dataDir);
 * registry.register(listPublicKeysOperation(describePublicKey(key.publicKey, key.createdAt)));
 * ```
 */
export function listPublicKeysOperation(key: TrailPublicKey) {
  return cloudTrailOperation<'ListPublicKeys', unknown>('ListPublicKeys', {
    resource: () => '*',
    execute(input, ctx): ListPublicKeysResponse {
      if (input.NextToken !== undefined) throw new InvalidTokenError('Invalid NextToken.');
      const start = input.StartTime ?? ctx.now;
      const end = input.EndTime ?? ctx.now;
      if (start.getTime() > end.getTime()) throw new InvalidTimeRangeError('Start time must be before end time.');
      // Digests written before the key existed cannot have been signed by it.
      if (end.getTime() < key.createdAt.getTime() - 1000) return { PublicKeyList: [] };
      return { PublicKeyList: [{ Value: new Uint8Array(key.der), ValidityStartTime: key.createdAt, Fingerprint: key.fingerprint }] };
    },
  });
}
