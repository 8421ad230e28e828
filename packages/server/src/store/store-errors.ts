/**
 * Errors thrown by every `Store` implementation. Each dialect translates its driver's errors into
 * these in exactly one place (`sqlite/sqlite-errors.ts`, `postgres/postgres-errors.ts`); services
 * translate these into `AwsError`s with AWS's wording. Messages never contain row contents, so a
 * secret or a policy document cannot leak through them.
 */

/** The family a store error belongs to; compare this (or use `instanceof`), never the message. */
export type StoreErrorKind = 'conflict' | 'reference' | 'limit' | 'invalid-cursor' | 'unavailable';

/** The base class of all store errors. */
export abstract class StoreError extends Error {
  /** Which family of failure this is. */
  abstract readonly kind: StoreErrorKind;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A unique constraint was violated: a name (compared case-insensitively where AWS does), an id, an
 * alias or a key already exists. Services turn it into `EntityAlreadyExistsError`.
 */
export class StoreConflictError extends StoreError {
  readonly kind = 'conflict';
  constructor(
    /** The table the violated constraint belongs to, e.g. `users`, when the driver says it. */
    readonly entity: string | undefined,
    /** The constraint or column list the driver named, e.g. `users_account_name_uq`. */
    readonly constraint: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`unique constraint violated${entity ? ` on \`${entity}\`` : ''}${constraint ? ` (\`${constraint}\`)` : ''}`, options);
  }
}

/**
 * A foreign key was violated: a row is still referenced by another (deleting a user that still has
 * access keys, group memberships, inline or attached policies or a login profile), or a row names a
 * parent that does not exist. It backs up the services' `DeleteConflict` checks against races.
 */
export class StoreReferenceError extends StoreError {
  readonly kind = 'reference';
  constructor(
    /** The table or constraint the driver named, when it names one (SQLite does not). */
    readonly constraint: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`foreign key constraint violated${constraint ? ` (\`${constraint}\`)` : ''}`, options);
  }
}

/**
 * A quota the store enforces atomically (see the `max…` options on `Store` methods) was reached.
 * Services turn it into `LimitExceededError` with AWS's message for `quota`.
 */
export class StoreLimitError extends StoreError {
  readonly kind = 'limit';
  constructor(
    /** Which quota: `accessKeysPerUser`, `policyVersions`, `tagsPerResource`, … */
    readonly quota: string,
    /** The limit that was in force. */
    readonly limit: number,
    options?: { cause?: unknown },
  ) {
    super(`quota \`${quota}\` of ${limit} reached`, options);
  }
}

/** A paging `marker` or audit `cursor` was not produced by this store, or was altered. */
export class StoreInvalidCursorError extends StoreError {
  readonly kind = 'invalid-cursor';
  constructor(options?: { cause?: unknown }) {
    super('the paging marker is not valid', options);
  }
}

/**
 * The database could not be reached or stayed busy past the retry budget. Services let it through:
 * the pipeline answers AWS's `ServiceUnavailable` (503, which clients retry) and logs it
 * (`pipeline/aws-error-of.ts`).
 */
export class StoreUnavailableError extends StoreError {
  readonly kind = 'unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
