import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateMasterKey } from '../../../server/src/crypto/master-key.js';
import { SecretBox } from '../../../server/src/crypto/secret-box.js';
import { CryptoIds } from '../../../server/src/domain/ids.js';
import { bootstrapAccount } from '../../../server/src/services/bootstrap.js';
import { createStore } from '../../../server/src/store/create-store.js';
import { ExitCode } from '../exit-codes.js';
import { registerAccountCommands } from './account-command.js';
import { memoryIo } from './test-cli-io.js';

const FIRST = '111122223333';
let dataDir: string;
let io: ReturnType<typeof memoryIo>;

async function castellan(...args: string[]): Promise<ExitCode> {
  let code: ExitCode = ExitCode.Ok;
  const program = new Command('castellan').exitOverride();
  registerAccountCommands(program, io, (c) => (code = c), { env: {} });
  await program.parseAsync(args, { from: 'user' });
  return code;
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'castellan-cli-account-'));
  io = memoryIo({});
  // Given a data folder a server has started on: master key, database, bootstrapped account.
  const { key } = await loadOrCreateMasterKey(dataDir, {});
  const store = await createStore({ kind: 'sqlite', filename: join(dataDir, 'castellan.db') }, { secretBox: new SecretBox(key) });
  await bootstrapAccount({ store, ids: new CryptoIds() }, { accountId: FIRST, now: new Date('2026-01-01T00:00:00Z') });
  await store.close();
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('castellan account', () => {
  it('create prints the new account and its root key once; the secret is sealed with the master key', async () => {
    expect(await castellan('account', 'create', '--data-dir', dataDir, '--account-id', '444455556666')).toBe(ExitCode.Ok);
    expect(io.stdout[0]).toBe('account 444455556666 created');
    const keyId = /^root access key id: +(AKIA[A-Z2-7]{16})$/.exec(io.stdout[1]!)?.[1];
    const secret = /^root secret access key: (\S{40})$/.exec(io.stdout[2]!)?.[1];
    expect(keyId).toBeDefined();
    expect(secret).toBeDefined();
    const { key } = await loadOrCreateMasterKey(dataDir, {});
    const store = await createStore({ kind: 'sqlite', filename: join(dataDir, 'castellan.db') }, { secretBox: new SecretBox(key) });
    try {
      expect(await store.getAccessKeyWithSecret(keyId!)).toMatchObject({ accountId: '444455556666', owner: { kind: 'root' }, status: 'Active', secretAccessKey: secret });
    } finally {
      await store.close();
    }
  });

  it('create --json for automation; list shows every account and which one bootstrapped', async () => {
    expect(await castellan('account', 'create', '--data-dir', dataDir, '--json')).toBe(ExitCode.Ok);
    const created = JSON.parse(io.stdout[0]!) as { AccountId: string; AccessKeyId: string; SecretAccessKey: string; CreateDate: string };
    expect(created.AccountId).toMatch(/^\d{12}$/);
    expect(created.AccessKeyId).toMatch(/^AKIA/);
    expect(created.SecretAccessKey).toHaveLength(40);
    io.stdout.length = 0;
    expect(await castellan('account', 'list', '--data-dir', dataDir, '--json')).toBe(ExitCode.Ok);
    const listed = JSON.parse(io.stdout[0]!) as { Accounts: Array<{ AccountId: string; Bootstrap: boolean }> };
    expect(listed.Accounts.map((a) => [a.AccountId, a.Bootstrap]).sort()).toEqual([[FIRST, true], [created.AccountId, false]].sort());
    io.stdout.length = 0;
    expect(await castellan('account', 'list', '--data-dir', dataDir)).toBe(ExitCode.Ok);
    expect(io.stdout).toContain(`${FIRST}\t2026-01-01T00:00:00.000Z\t-\tbootstrap`);
  });

  it.each([
    ['a taken id', ['--account-id', FIRST], `account ${FIRST} already exists`],
    ['an id that is not 12 digits', ['--account-id', '12345'], 'the account id must be 12 digits'],
  ])('create refuses %s', async (_what, args, message) => {
    expect(await castellan('account', 'create', '--data-dir', dataDir, ...args)).toBe(ExitCode.Error);
    expect(io.stderr.join('\n')).toContain(message);
    expect(io.stdout).toEqual([]);
  });

  it('refuses a folder without a deployment, creating nothing there', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'castellan-cli-account-empty-'));
    try {
      expect(await castellan('account', 'list', '--data-dir', empty)).toBe(ExitCode.Error);
      expect(io.stderr.join('\n')).toContain('no master key');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
