/**
 * The first {@link Authenticator}: AWS Signature Version 4, in the `Authorization` header or a
 * presigned query string, verified against the secret a {@link CredentialResolver} finds for the
 * access key. A verified key's use is handed to the resolver for GetAccessKeyLastUsed.
 *
 * @module
 */
import { credentialFacts } from '../../domain/credential-facts.js';
import { ExpiredTokenError, InvalidClientTokenIdError, SignatureDoesNotMatchError } from '../../domain/errors.js';
import type { Authentication, AuthenticationAttempt, Authenticator } from '../../domain/ports/authenticator.js';
import type { CredentialResolver } from '../../domain/ports/credential-resolver.js';
import type { InboundRequest } from '../../domain/ports/inbound-request.js';
import { claimedAccessKeyId, parseSignature, rawQueryParams } from '../../sigv4/parse-signature.js';
import { SigningKeyCache } from '../../sigv4/signing-key-cache.js';
import type { ParsedSignature } from '../../sigv4/sigv4-request.js';
import { checkRequestTime, DEFAULT_MAX_SKEW_MS, verifySignature } from '../../sigv4/verify-signature.js';

/** Settings of {@link SigV4Authenticator}. */
export interface SigV4AuthenticatorOptions {
  /** Allowed clock skew for header-signed requests (default 15 minutes, AWS's). */
  maxSkewMs?: number;
}

/** Query parameters whose presence makes a request a presigned SigV4 request. */
const PRESIGN_PARAMETERS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature'];

/**
 * Authenticates SigV4 requests. The checks run in AWS's order, each with AWS's error: the signature
 * is parsed, its credential scope must name a service of this endpoint and cover the headers the
 * protocol requires, the request time must be current, the key must be known and active, and the
 * signature must match.
 */
export class SigV4Authenticator implements Authenticator {
  readonly #credentials: CredentialResolver;
  readonly #maxSkewMs: number;
  readonly #keys = new SigningKeyCache();

  constructor(credentials: CredentialResolver, options: SigV4AuthenticatorOptions = {}) {
    this.#credentials = credentials;
    this.#maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  }

  /** Any `Authorization` header (a foreign algorithm is refused by `authenticate`) or a presigned query. */
  recognizes(request: InboundRequest): boolean {
    if (request.header('authorization') !== undefined) return true;
    const query = rawQueryParams(request.query);
    return PRESIGN_PARAMETERS.some((p) => query.has(p));
  }

  async authenticate(attempt: AuthenticationAttempt): Promise<Authentication> {
    const { request, now } = attempt;
    let sig: ParsedSignature;
    try {
      // Every service Castellan serves on its API (STS, IAM, CloudTrail, castellan) reads presigned
      // URLs as AWS's STS does: X-Amz-Expires may be left out (then 15 minutes). S3 requires it.
      sig = parseSignature(request, { presignExpiresOptional: true });
    } catch (err) {
      // A malformed signature's error quotes the header, and the audit trail must know what stood in
      // the key id position to keep a pasted secret out of the record. (A signature that parses
      // claims its key id just below: the header is read once on the hot path.)
      const claimed = claimedAccessKeyId(request);
      if (claimed !== undefined) attempt.claim({ accessKeyId: claimed });
      throw err;
    }
    attempt.claim({ region: sig.region, accessKeyId: sig.accessKeyId });
    const service = attempt.services.find((s) => s === sig.service);
    if (!service) {
      throw new SignatureDoesNotMatchError(`Credential should be scoped to correct service: '${attempt.defaultService}'. `);
    }
    attempt.claim({ service });
    for (const header of attempt.requiredSignedHeaders) {
      if (!sig.signedHeaders.includes(header.toLowerCase())) {
        // AWS's JSON services word it as they do for Host: "'Host' or ':authority' must be a 'SignedHeader' …".
        throw new SignatureDoesNotMatchError(`'${header}' must be a 'SignedHeader' in the AWS Authorization.`);
      }
    }
    checkRequestTime(sig, now, this.#maxSkewMs);

    const found = await this.#credentials.resolve(sig.accessKeyId, sig.sessionToken, now);
    if (found) attempt.claim({ knownAccessKey: true });
    if (found && found.status !== 'active' && found.accountId) attempt.claim({ accountId: found.accountId });
    if (!found || found.status === 'inactive') {
      throw new InvalidClientTokenIdError('The security token included in the request is invalid.');
    }
    if (found.status === 'expired') throw new ExpiredTokenError('The security token included in the request is expired');
    attempt.claim({ accountId: found.principal.accountId });
    verifySignature(request, sig, found.secretAccessKey, this.#keys);
    if (found.refusedServices?.includes(service)) throw new InvalidClientTokenIdError('The security token included in the request is invalid.');
    this.#credentials.recordUse?.(sig.accessKeyId, { at: now, service, region: sig.region });

    const principal = found.principal;
    return {
      principal,
      facts: {
        method: sig.kind === 'header' ? 'sigv4-header' : 'sigv4-presigned',
        accessKeyId: sig.accessKeyId,
        scope: { region: sig.region, service },
        ...credentialFacts(principal),
      },
    };
  }
}
