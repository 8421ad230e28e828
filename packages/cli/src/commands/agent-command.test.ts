import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../exit-codes.js';
import { containerTokenOf, registerAgent } from './agent-command.js';
import { memoryIo } from './test-cli-io.js';

const TOKEN = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

/**
 * Runs `castellan agent … --container-token-file /token` with `token` as the file's contents; while
 * it serves, asks its ECS route with the token: 404 when the route is off, 401 when the token sent
 * is not the agent's, 200 never (no server to fetch a session from: the agent then answers 404 too,
 * so the token is asked with a wrong one beside it).
 */
async function agentWith(token: string): Promise<{ code: ExitCode; stderr: string[]; withToken?: number; wrongToken?: number }> {
  const io = memoryIo({ '/secret': 'cwls_x\n', '/token': token });
  let code: ExitCode = ExitCode.Ok;
  let stop!: (signal: string) => void;
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const asked: { withToken?: number; wrongToken?: number } = {};
  const program = new Command('castellan').exitOverride();
  registerAgent(program, io, (c) => (code = c), {
    env: {},
    untilStopSignal: async () => {
      const url = /listening on (\S+)/.exec(io.stdout.join('\n'))![1]!;
      asked.withToken = (await fetch(`${url}/v1/credentials`, { headers: { authorization: token } })).status;
      asked.wrongToken = (await fetch(`${url}/v1/credentials`, { headers: { authorization: 'wrong' } })).status;
      stop('SIGTERM');
      return stopped;
    },
  });
  await program.parseAsync(['agent', '--endpoint', 'http://127.0.0.1:1', '--secret-file', '/secret', '--port', '0', '--container-token-file', '/token'], { from: 'user' });
  return { code, stderr: io.stderr, ...asked };
}

describe('castellan agent --container-token-file', () => {
  it('serves the ECS route with the file\'s token as it is', async () => {
    const r = await agentWith(TOKEN);
    expect(r.code).toBe(ExitCode.Ok);
    // The right token passes the check and reaches the (unreachable) server: 404, no session; a wrong one is 401.
    expect([r.withToken, r.wrongToken]).toEqual([404, 401]);
  });

  // The workload's SDK sends the same file byte for byte: the agent must not accept what the SDK cannot send.
  it.each([
    { name: 'a newline at the end (openssl rand -hex 32 > FILE)', text: `${TOKEN}\n`, says: 'begins or ends with whitespace' },
    { name: 'a Windows line end', text: `${TOKEN}\r\n`, says: 'begins or ends with whitespace' },
    { name: 'a leading space', text: ` ${TOKEN}`, says: 'begins or ends with whitespace' },
    { name: 'nothing', text: '', says: 'holds no token' },
    { name: 'only a newline (the route would be off unnoticed)', text: '\n', says: 'holds no token' },
  ])('refuses a file with $name, naming it, and serves nothing', async ({ text, says }) => {
    const r = await agentWith(text);
    expect(r.code).toBe(ExitCode.Error);
    expect(r.stderr).toEqual([expect.stringContaining(`castellan agent: --container-token-file /token ${says}`)]);
    expect(r.withToken).toBeUndefined();
  });

  it.each([
    { text: 'a\u0000b', refused: true },
    { text: 'tök', refused: true },
    { text: 'a\nb', refused: true },
    { text: 'a b', refused: false },
    { text: 'Zm9vYmFy+/=', refused: false },
  ])('containerTokenOf($text): refused $refused (only what an HTTP header can carry)', ({ text, refused }) => {
    if (refused) expect(() => containerTokenOf(text, 'F')).toThrow(/--container-token-file F /);
    else expect(containerTokenOf(text, 'F')).toBe(text);
  });
});
