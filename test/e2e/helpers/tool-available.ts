/**
 * Whether a client tool a compatibility test drives is installed: the command runs and exits 0.
 * Each test skips without its tool unless its variable (CASTELLAN_PYTHON, CASTELLAN_PHP, …) names
 * the tool, as `.ci/run` does, so that CI fails rather than skips.
 */
import { execFileSync } from 'node:child_process';

/** True when `command args…` runs and exits 0 (its output discarded). */
export function runsCleanly(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
