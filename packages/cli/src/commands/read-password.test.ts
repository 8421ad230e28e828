import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readNewPassword, type PasswordInput } from './read-password.js';

/** A terminal's input: what the user types arrives as keystrokes while the prompts are shown. */
function terminal(): { input: PasswordInput & PassThrough; screen: () => string; prompts: PassThrough } {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const prompts = new PassThrough();
  let shown = '';
  prompts.on('data', (chunk: Buffer) => (shown += chunk.toString('utf8')));
  return { input, prompts, screen: () => shown };
}

/** Types `lines` one after the other, each once its question is on the screen. */
async function typeAnswers(t: ReturnType<typeof terminal>, lines: string[]): Promise<void> {
  for (const [i, line] of lines.entries()) {
    while ((t.screen().match(/: /g) ?? []).length <= i) await new Promise((r) => setTimeout(r, 5));
    t.input.write(`${line}\r`);
  }
}

describe('readNewPassword', () => {
  it('reads all of a pipe', async () => {
    const input = new PassThrough();
    input.end('S3cret-from-a-pipe!\n');
    expect(await readNewPassword(input, new PassThrough(), 'root password')).toBe('S3cret-from-a-pipe!\n');
  });

  it('asks a terminal twice and echoes nothing typed', async () => {
    const t = terminal();
    const answer = readNewPassword(t.input, t.prompts, 'root password');
    await typeAnswers(t, ['Typed-Passw0rd!', 'Typed-Passw0rd!']);
    expect(await answer).toBe('Typed-Passw0rd!');
    expect(t.screen()).toContain('New root password: ');
    expect(t.screen()).toContain('Repeat the new root password: ');
    expect(t.screen()).not.toContain('Typed');
  });

  it('refuses two different passwords typed on a terminal', async () => {
    const t = terminal();
    const answer = readNewPassword(t.input, t.prompts, 'root password');
    await typeAnswers(t, ['First-Passw0rd!', 'Other-Passw0rd!']);
    await expect(answer).rejects.toThrow('the two passwords typed differ');
    expect(t.screen()).not.toMatch(/First|Other/);
  });
});
