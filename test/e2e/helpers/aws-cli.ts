/**
 * Running the real AWS CLI against a test server.
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { StaticCredentials } from './aws-clients.js';

const run = promisify(execFile);

/** The AWS CLI v2 binary the e2e tests drive. */
export const AWS_CLI = process.env['CASTELLAN_AWS_CLI'] ?? '/usr/bin/aws';

/**
 * The environment of a CLI call signed with `credentials`: the default credential chain sees only
 * these (none of the machine's own files), in us-east-1, no pager, no retries.
 */
export function awsCliEnv(credentials: StaticCredentials): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
  };
}

/** What a CLI call answered: its output, or its error output. */
export type AwsCliTextResult = { ok: true; out: string } | { ok: false; err: string };

/**
 * Runs `aws <args> --output json` against `endpoint`, signed with `credentials`, its environment
 * completed by `env` (a config file of the test's own, a session token; a variable set to
 * `undefined` is left out); answers the raw output.
 */
export async function awsCli(endpoint: string, credentials: StaticCredentials, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<AwsCliTextResult> {
  const full = { ...awsCliEnv(credentials), ...env };
  for (const [name, value] of Object.entries(full)) if (value === undefined) delete full[name];
  try {
    const { stdout } = await run(AWS_CLI, ['--endpoint-url', endpoint, '--output', 'json', ...args], { env: full });
    return { ok: true, out: stdout };
  } catch (e) {
    return { ok: false, err: String((e as { stderr?: string }).stderr ?? e) };
  }
}

/** What a CLI call answered: its JSON output, or its error output. */
export type AwsCliResult = { ok: true; out: any } | { ok: false; err: string };

/** Runs `aws <args> --output json` against `endpoint`, signed with `credentials`; answers the parsed output. */
export async function awsCliJson(endpoint: string, credentials: StaticCredentials, ...args: string[]): Promise<AwsCliResult> {
  const r = await awsCli(endpoint, credentials, args);
  return r.ok ? { ok: true, out: r.out.trim() ? JSON.parse(r.out) : {} } : r;
}
