/**
 * The exit codes of every `castellan` command, in one place.
 */

/** Process exit codes. */
export const ExitCode = {
  /** Success: a valid policy, every test passed. */
  Ok: 0,
  /** The command ran and found problems: validation errors, failing policy tests. */
  Failure: 1,
  /** The command line was wrong: unknown option, missing argument. */
  Usage: 2,
  /** The command could not run: unreadable file, unexpected error. */
  Error: 3,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
