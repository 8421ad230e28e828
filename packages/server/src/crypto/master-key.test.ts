import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MASTER_KEY_FILE, loadOrCreateMasterKey, parseMasterKey } from './master-key.js';

const raw = randomBytes(32);

describe('parseMasterKey', () => {
  const valid: Array<{ name: string; text: string }> = [
    { name: 'hex', text: raw.toString('hex') },
    { name: 'upper-case hex with spaces around', text: `  ${raw.toString('hex').toUpperCase()}\n` },
    { name: 'base64', text: raw.toString('base64') },
    { name: 'base64url without padding', text: raw.toString('base64url') },
  ];
  for (const { name, text } of valid) {
    it(`reads ${name}`, () => {
      expect(parseMasterKey(text, 'X').equals(raw)).toBe(true);
    });
  }

  const invalid = ['', 'short', randomBytes(16).toString('hex'), randomBytes(31).toString('base64'), `${raw.toString('hex')}00`, 'not base64 at all!'];
  for (const text of invalid) {
    it(`refuses ${JSON.stringify(text.slice(0, 20))}… without echoing it`, () => {
      expect(() => parseMasterKey(text, 'CASTELLAN_MASTER_KEY')).toThrow(/CASTELLAN_MASTER_KEY must hold a 32-byte key/);
      try {
        parseMasterKey(text, 'CASTELLAN_MASTER_KEY');
      } catch (error) {
        if (text.length > 0) expect((error as Error).message).not.toContain(text);
      }
    });
  }
});

describe('loadOrCreateMasterKey', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'castellan-key-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prefers CASTELLAN_MASTER_KEY and writes no file', async () => {
    const loaded = await loadOrCreateMasterKey(dir, { CASTELLAN_MASTER_KEY: raw.toString('base64') });
    expect(loaded.source).toBe('env');
    expect(loaded.key.equals(raw)).toBe(true);
    await expect(stat(join(dir, MASTER_KEY_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects a malformed CASTELLAN_MASTER_KEY', async () => {
    await expect(loadOrCreateMasterKey(dir, { CASTELLAN_MASTER_KEY: 'nope' })).rejects.toThrow(/CASTELLAN_MASTER_KEY/);
  });

  it('generates a 0600 key file once and reads it back', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = await loadOrCreateMasterKey(dataDir, {});
    expect(first.source).toBe('generated');
    expect(first.key).toHaveLength(32);
    expect((await stat(first.path!)).mode & 0o777).toBe(0o600);
    const second = await loadOrCreateMasterKey(dataDir, { CASTELLAN_MASTER_KEY: '' });
    expect(second).toMatchObject({ source: 'file', warnings: [] });
    expect(second.key.equals(first.key)).toBe(true);
    expect((await readFile(first.path!, 'utf8')).trim()).toBe(first.key.toString('base64'));
  });

  it('agrees on one key when two servers start at once', async () => {
    const keys = await Promise.all(Array.from({ length: 6 }, () => loadOrCreateMasterKey(dir, {})));
    expect(keys.filter((k) => k.source === 'generated')).toHaveLength(1);
    for (const k of keys) expect(k.key.equals(keys[0]!.key)).toBe(true);
  });

  it('warns about a key file others can read', async () => {
    const { path } = await loadOrCreateMasterKey(dir, {});
    await chmod(path!, 0o644);
    const loaded = await loadOrCreateMasterKey(dir, {});
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toMatch(/chmod 600/);
  });
});
