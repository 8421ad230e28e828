/**
 * The one place a failure that is not already an `AwsError` becomes one, for every protocol and
 * route: a store that is unavailable (`StoreError` of kind `unavailable`: a SQLite write lock held
 * past its bound, a full disk, PostgreSQL unreachable, its pool or a statement past its bound) is
 * AWS's `ServiceUnavailable` (503), which SDKs and the CLI retry; anything else is
 * `ServiceFailure` (500). Either way the client gets AWS's text and nothing of the cause, which
 * the caller logs.
 *
 * @module
 */
import { AwsError, ServiceFailureError, ServiceUnavailableError } from '../domain/errors.js';
import { StoreError } from '../store/store-errors.js';

/** AWS's public message for an internal failure; the real cause is only logged. */
export const SERVICE_FAILURE_MESSAGE = 'The request processing has failed because of an unknown error, exception or failure.';

/** AWS's public message for `ServiceUnavailable` (its common errors); the real cause is only logged. */
export const SERVICE_UNAVAILABLE_MESSAGE = 'The request has failed due to a temporary failure of the server.';

/** True when `err` says the store is unavailable for now (see the module comment). */
export function isStoreUnavailable(err: unknown): boolean {
  return err instanceof StoreError && err.kind === 'unavailable';
}

/** `err` as the client sees it: itself when it is an `AwsError`, else as the module comment says, with `err` as its cause. */
export function awsErrorOf(err: unknown): AwsError {
  if (err instanceof AwsError) return err;
  if (isStoreUnavailable(err)) return new ServiceUnavailableError(SERVICE_UNAVAILABLE_MESSAGE, { cause: err });
  return new ServiceFailureError(SERVICE_FAILURE_MESSAGE, { cause: err });
}
