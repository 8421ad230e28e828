import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/castellan.js', import.meta.url));
const dist = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe('the built castellan command', () => {
  it('runs policy validate and policy test with their exit codes', () => {
    // The build (`tsc -b`) must have run: `npm test` does it first.
    expect(existsSync(dist), 'packages/cli/dist/main.js: run `npx tsc -b` first').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'castellan-cli-'));
    writeFileSync(join(dir, 'ok.json'), '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}');
    writeFileSync(join(dir, 'bad.json'), '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}');
    writeFileSync(join(dir, 'cases.jsonl'), `${JSON.stringify({ name: 'n', policies: { identity: [] }, request: { principal: { arn: 'arn:aws:iam::111122223333:user/a' }, action: 's3:GetObject', resource: '*' }, expected: 'Allow' })}\n`);
    const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8' });

    const ok = cli('policy', 'validate', 'ok.json', '--no-catalog');
    expect(ok.status).toBe(0);
    const bad = cli('policy', 'validate', 'bad.json', '--no-catalog');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('policy statement must contain `Resource` or `NotResource`');
    const tests = cli('policy', 'test', 'cases.jsonl');
    expect(tests.status).toBe(1);
    expect(tests.stdout.trim().split('\n').pop()).toBe('0 passed, 1 failed');
    const help = cli('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('policy');
    expect(help.stdout).toContain('--version');
    const version = cli('--version');
    const { version: expected } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(version).toMatchObject({ status: 0, stdout: `${expected}\n` });
  }, 30_000);

  it('names a bad option value and exits 2 (usage), without a stack trace', () => {
    const res = spawnSync(process.execPath, [bin, 'credentials', 'prune', '--unused-days', 'abc'], { encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("option '--unused-days <days>' argument 'abc' is invalid. It must be a whole number of days.");
    expect(res.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);

  it.each([['keys', 'rotate', '--user', 'alice'], ['credentials', 'prune', '--unused-days', '90']])('%s %s refuses to run without an endpoint (it would call AWS itself), exit 2', (...args) => {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE01', AWS_SECRET_ACCESS_KEY: 'example-secret-example-secret', AWS_ENDPOINT_URL: '', AWS_ENDPOINT_URL_IAM: '  ' };
    const res = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
    expect(res.stderr).toContain(`castellan ${args[0]} ${args[1]}: no Castellan server: give --endpoint-url (or set AWS_ENDPOINT_URL_IAM or AWS_ENDPOINT_URL)`);
    expect(res.stderr).not.toContain('amazonaws.com:');
    expect(res.status).toBe(2);
  }, 30_000);

  it('prints no AWS SDK Node-version warning with the output of a command that uses the SDK', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE01', AWS_SECRET_ACCESS_KEY: 'example-secret-example-secret' };
    delete env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'];
    // Nothing listens on port 9: the call fails, after the client was made.
    const res = spawnSync(process.execPath, [bin, 'credentials', 'prune', '--unused-days', '90', '--endpoint-url', 'http://127.0.0.1:9'], { encoding: 'utf8', env });
    expect(res.status).toBe(3);
    expect(res.stderr).not.toContain('NodeVersionSupportWarning');
  }, 30_000);
});
