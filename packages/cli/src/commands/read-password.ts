/**
 * Reads a new password for a command: from a pipe or file, all of standard input (one line); from
 * a terminal, asked for twice without echo, so it never shows on screen nor in the scrollback, and
 * a typo cannot set a password nobody knows.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/** Standard input as far as this needs it (`isTTY` is set on a terminal). */
export type PasswordInput = NodeJS.ReadableStream & { isTTY?: boolean };

async function readAll(input: PasswordInput): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks each question in turn on `prompts`, echoing nothing the user types; answers the replies. */
async function askHidden(input: PasswordInput, prompts: NodeJS.WritableStream, questions: readonly string[]): Promise<string[]> {
  let muted = false;
  // readline echoes what is typed to its output: this output forwards only the questions.
  const output = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      if (!muted) prompts.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input, output, terminal: true });
  try {
    const answers: string[] = [];
    for (const question of questions) {
      answers.push(
        await new Promise<string>((resolve, reject) => {
          rl.once('SIGINT', () => reject(new Error('cancelled')));
          rl.once('close', () => reject(new Error('no password on standard input')));
          muted = false;
          rl.question(question, (answer) => {
            rl.removeAllListeners('SIGINT').removeAllListeners('close');
            resolve(answer);
          });
          muted = true;
        }),
      );
      prompts.write('\n');
    }
    return answers;
  } finally {
    muted = true;
    rl.close();
  }
}

/** The new password: all of standard input (the caller drops its line end), or, on a terminal, typed twice without echo. */
export async function readNewPassword(input: PasswordInput, prompts: NodeJS.WritableStream, what: string): Promise<string> {
  if (!input.isTTY) return readAll(input);
  const [first, second] = await askHidden(input, prompts, [`New ${what}: `, `Repeat the new ${what}: `]);
  if (first !== second) throw new Error('the two passwords typed differ; nothing was changed');
  return first!;
}
