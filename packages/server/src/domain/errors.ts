import type { AwsErrorCode } from './aws-error-code.js';

/**
 * Typed domain errors. Services throw these; each protocol maps them to the wire in one place
 * (see `protocol/query/serialize-query-error.ts`, `protocol/json/serialize-json-error.ts`). The `code` is AWS's error code, the `message` is AWS-style text
 * that names the offending field and never contains a secret.
 */
export abstract class AwsError extends Error {
  /** AWS's error code, e.g. `NoSuchEntity`: one of the codes the AWS models (or AWS's common errors) define. */
  abstract readonly code: AwsErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    // An AwsError is an expected outcome mapped to the wire, never logged with its stack (a cause
    // keeps its own): capturing one was a measurable share of a refused request's cost. A limit that
    // is not a number skips the capture altogether (with 0, V8 still walks the stack for no frame),
    // so an AwsError has no `stack`.
    const limit = Error.stackTraceLimit;
    (Error as { stackTraceLimit: number | undefined }).stackTraceLimit = undefined;
    try {
      super(message, options);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = new.target.name;
  }
}

/** A named entity does not exist (404). */
export class NoSuchEntityError extends AwsError { readonly code = 'NoSuchEntity'; }
/** An entity with that name or id already exists (409). */
export class EntityAlreadyExistsError extends AwsError { readonly code = 'EntityAlreadyExists'; }
/** A policy document is not valid JSON or not a valid policy (400). */
export class MalformedPolicyDocumentError extends AwsError { readonly code = 'MalformedPolicyDocument'; }
/** The entity is still referenced and cannot be deleted (409). */
export class DeleteConflictError extends AwsError { readonly code = 'DeleteConflict'; }
/** A quota was reached (409). */
export class LimitExceededError extends AwsError { readonly code = 'LimitExceeded'; }
/** A parameter value is not valid for the operation (400). */
export class InvalidInputError extends AwsError { readonly code = 'InvalidInput'; }
/** A parameter fails the model's constraints: required, length, pattern, enum (400). */
export class ValidationError extends AwsError { readonly code = 'ValidationError'; }
/** The caller is not authorized (403). */
export class AccessDeniedError extends AwsError {
  readonly code = 'AccessDenied';
  /** The sealed decision behind a policy denial, for sts:DecodeAuthorizationMessage (never in the message text: see the README). */
  encodedAuthorizationMessage?: string;
}
/** The entity is temporarily unmodifiable, e.g. a service-linked role (409). */
export class UnmodifiableEntityError extends AwsError { readonly code = 'UnmodifiableEntity'; }
/** The password does not satisfy the account password policy (400). */
export class PasswordPolicyViolationError extends AwsError { readonly code = 'PasswordPolicyViolation'; }
/** A policy the operation references cannot be used, e.g. an AWS-managed policy that is not attachable (400). */
export class PolicyNotAttachableError extends AwsError { readonly code = 'PolicyNotAttachable'; }
/** The caller is the wrong kind of user for the operation, e.g. the root user calling ChangePassword (400). */
export class InvalidUserTypeError extends AwsError { readonly code = 'InvalidUserType'; }
/** An MFA code is wrong, replayed, or the two codes are not consecutive (403). */
export class InvalidAuthenticationCodeError extends AwsError { readonly code = 'InvalidAuthenticationCode'; }
/** A tag, a description or similar changed concurrently (409). */
export class ConcurrentModificationError extends AwsError { readonly code = 'ConcurrentModification'; }
/** GetCredentialReport before any GenerateCredentialReport (410). */
export class ReportNotPresentError extends AwsError { readonly code = 'ReportNotPresent'; }
/** GetCredentialReport of a report older than four hours (410). */
export class ReportExpiredError extends AwsError { readonly code = 'ReportExpired'; }
/** GetCredentialReport while the report is being generated (404). */
export class ReportInProgressError extends AwsError { readonly code = 'ReportInProgress'; }
/** The model has this operation but Castellan does not implement it (501 on the wire). */
export class NotImplementedError extends AwsError { readonly code = 'NotImplemented'; }
/** An unexpected failure; its message is never sent to the client (500). */
export class ServiceFailureError extends AwsError { readonly code = 'ServiceFailure'; }
/**
 * A temporary failure: the store could not be reached, or stayed busy past its bound (503, one of
 * AWS's common errors; SDKs and the CLI retry it). Its message is AWS's, never the cause's.
 */
export class ServiceUnavailableError extends AwsError { readonly code = 'ServiceUnavailable'; }

// --- authentication (SigV4). Messages follow AWS's, which say as little as possible. ---
/** No credentials in the request (403). */
export class MissingAuthenticationTokenError extends AwsError { readonly code = 'MissingAuthenticationToken'; }
/** The Authorization header or presigned query is malformed (403 for IAM, 400 for some services). */
export class IncompleteSignatureError extends AwsError { readonly code = 'IncompleteSignature'; }
/**
 * A request signed twice, in its `Authorization` header and in its query string (400). AWS allows
 * one of the two ("You cannot pass signing information in both", SigV4 reference); the code is the
 * common Query-API error for parameters used together.
 */
export class InvalidParameterCombinationError extends AwsError { readonly code = 'InvalidParameterCombination'; }
/** The access key id is unknown or inactive (403). */
export class InvalidClientTokenIdError extends AwsError { readonly code = 'InvalidClientTokenId'; }
/** The signature does not match (403). */
export class SignatureDoesNotMatchError extends AwsError { readonly code = 'SignatureDoesNotMatch'; }
/** The request time is outside the allowed skew, or a presigned URL expired (403). */
export class RequestExpiredError extends AwsError { readonly code = 'RequestExpired'; }
/** A session token has expired (403; STS's model spells it `ExpiredTokenException`). */
export class ExpiredTokenError extends AwsError { readonly code = 'ExpiredToken'; }
/** The action in the request is unknown to the service (400). */
export class InvalidActionError extends AwsError { readonly code = 'InvalidAction'; }

// --- wire-level request errors (added by the protocol layer) ---
/** A Query request without an `Action` parameter (400). */
export class MissingActionError extends AwsError { readonly code = 'MissingAction'; }
/** The request body is larger than the server accepts (413). */
export class RequestEntityTooLargeError extends AwsError { readonly code = 'RequestEntityTooLarge'; }
/** A JSON-protocol body is not valid JSON or a member has the wrong type (400). */
export class SerializationError extends AwsError { readonly code = 'SerializationException'; }
/** A JSON-protocol `X-Amz-Target` names no operation of the service (400). */
export class UnknownOperationError extends AwsError { readonly code = 'UnknownOperationException'; }

// --- bounded work ---
/** Too many requests from one access key or address (400 on the Query wire; JSON: `ThrottlingException`). AWS says "Rate exceeded". */
export class ThrottlingError extends AwsError { readonly code = 'Throttling'; }

// --- STS ---
/** Session policies and tags exceed the space a session token allows (400). */
export class PackedPolicyTooLargeError extends AwsError { readonly code = 'PackedPolicyTooLarge'; }
/** A parameter value is not acceptable (400). */
export class InvalidParameterValueError extends AwsError { readonly code = 'InvalidParameterValue'; }
/** DecodeAuthorizationMessage: the message was not produced by this deployment or was altered (400). */
export class InvalidAuthorizationMessageError extends AwsError { readonly code = 'InvalidAuthorizationMessageException'; }
/** AssumeRoleWithWebIdentity/SAML: the token or assertion is malformed, unverifiable, or names no provider of the account (400). */
export class InvalidIdentityTokenError extends AwsError { readonly code = 'InvalidIdentityToken'; }
/** AssumeRoleWithWebIdentity/SAML: the web identity token or assertion has expired (400; STS's code is literally `ExpiredTokenException`). */
export class IdentityTokenExpiredError extends AwsError { readonly code = 'ExpiredTokenException'; }
/** The identity provider rejected the claim, or the assertion's claims do not allow this request (403). */
export class IdpRejectedClaimError extends AwsError { readonly code = 'IDPRejectedClaim'; }
/** The identity provider could not be reached to verify the token (400, retryable). */
export class IdpCommunicationError extends AwsError { readonly code = 'IDPCommunicationError'; }
// SSH public keys, certificates and service-specific credentials.
/** The SSH public key is malformed, or too short. */
export class InvalidPublicKeyError extends AwsError { readonly code = 'InvalidPublicKey'; }
/** The SSH public key is neither OpenSSH `ssh-rsa` nor PEM. */
export class UnrecognizedPublicKeyEncodingError extends AwsError { readonly code = 'UnrecognizedPublicKeyEncoding'; }
/** The user already has this SSH public key. */
export class DuplicateSshPublicKeyError extends AwsError { readonly code = 'DuplicateSSHPublicKey'; }
/** A certificate, chain or private key cannot be parsed or validated. */
export class MalformedCertificateError extends AwsError { readonly code = 'MalformedCertificate'; }
/** The signing certificate is already associated with an IAM user or the root of the account. */
export class DuplicateCertificateError extends AwsError { readonly code = 'DuplicateCertificate'; }
/** The private key does not belong to the certificate. */
export class KeyPairMismatchError extends AwsError { readonly code = 'KeyPairMismatch'; }
/** No service-specific credentials for that service. */
export class NotSupportedServiceError extends AwsError { readonly code = 'NotSupportedService'; }
