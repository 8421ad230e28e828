import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify } from '@node-rs/argon2';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateMasterKey } from '../../../server/src/crypto/master-key.js';
import { SecretBox } from '../../../server/src/crypto/secret-box.js';
import { CryptoIds } from '../../../server/src/domain/ids.js';
import { bootstrapAccount } from '../../../server/src/services/bootstrap.js';
import { createStore } from '../../../server/src/store/create-store.js';
import { ExitCode } from '../exit-codes.js';
import { readTwoCodes, registerRootCommands } from './root-command.js';
import { PassThrough } from 'node:stream';
import { memoryIo } from './test-cli-io.js';

const FIRST = '111122223333';
const PASSWORD = 'R00t-Console-Passw0rd!';
let dataDir: string;
let io: ReturnType<typeof memoryIo>;

async function castellan(stdin: string, ...args: string[]): Promise<ExitCode> {
  let code: ExitCode = ExitCode.Ok;
  const program = new Command('castellan').exitOverride();
  registerRootCommands(program, io, (c) => (code = c), { env: {} }, async () => stdin);
  await program.parseAsync(args, { from: 'user' });
  return code;
}

async function storedHash(accountId: string): Promise<string | undefined> {
  const { key } = await loadOrCreateMasterKey(dataDir, {});
  const store = await createStore({ kind: 'sqlite', filename: join(dataDir, 'castellan.db') }, { secretBox: new SecretBox(key) });
  try {
    return await store.getRootPasswordHash(accountId);
  } finally {
    await store.close();
  }
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'castellan-cli-root-'));
  io = memoryIo({});
  const { key } = await loadOrCreateMasterKey(dataDir, {});
  const store = await createStore({ kind: 'sqlite', filename: join(dataDir, 'castellan.db') }, { secretBox: new SecretBox(key) });
  await bootstrapAccount({ store, ids: new CryptoIds() }, { accountId: FIRST, now: new Date('2026-01-01T00:00:00Z') });
  await store.close();
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('castellan root set-password', () => {
  it('reads the password from stdin (one line) and stores it as argon2id for the bootstrap account', async () => {
    expect(await castellan(`${PASSWORD}\n`, 'root', 'set-password', '--data-dir', dataDir)).toBe(ExitCode.Ok);
    expect(io.stdout).toEqual([`root password of account ${FIRST} set`]);
    const hash = await storedHash(FIRST);
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verify(hash!, PASSWORD)).toBe(true);
    expect(io.stdout.join('\n') + io.stderr.join('\n')).not.toContain(PASSWORD);
  });

  it.each([
    { name: 'an empty stdin', stdin: '', args: [] as string[], message: /no password on standard input/ },
    { name: 'a password the default rules refuse', stdin: 'short\n', args: [], message: /password policy/ },
    { name: 'an unknown account', stdin: `${PASSWORD}\n`, args: ['--account-id', '999999999999'], message: /no account 999999999999/ },
  ])('fails on $name and stores nothing', async ({ stdin, args, message }) => {
    expect(await castellan(stdin, 'root', 'set-password', '--data-dir', dataDir, ...args)).toBe(ExitCode.Error);
    expect(io.stderr.join('\n')).toMatch(message);
    expect(io.stderr.join('\n')).not.toContain('short');
    expect(await storedHash(FIRST)).toBeUndefined();
  });
});

describe('readTwoCodes', () => {
  const from = (text: string) => {
    const input = new PassThrough();
    input.end(text);
    return readTwoCodes(input, new PassThrough());
  };

  it.each([
    ['two lines', '123456\n654321\n', ['123456', '654321']],
    ['spaces and a CRLF around each', ' 123456 \r\n654321', ['123456', '654321']],
  ])('reads %s', async (_name, text, codes) => {
    expect(await from(text)).toEqual(codes);
  });

  it('refuses fewer than two lines', async () => {
    await expect(from('123456\n')).rejects.toThrow('expected two codes on standard input, one a line');
  });
});
