import { describe, expect, it } from 'vitest';
import { parseSshPublicKey } from './ssh-public-key-format.js';
import { ed25519Key, sshKey } from './test-credential-material.js';

describe('SSH public key formats', () => {
  const key = sshKey(2048);

  it.each([
    ['OpenSSH ssh-rsa with a comment', key.openssh],
    ['PEM (SubjectPublicKeyInfo)', key.pem],
    ['PEM (PKCS#1 RSA PUBLIC KEY)', key.pkcs1],
    ['OpenSSH with surrounding whitespace', `\n  ${key.openssh}\n`],
  ])('reads %s: both encodings and the fingerprint ssh-keygen computes', (_name, body) => {
    const parsed = parseSshPublicKey(body);
    expect(parsed.fingerprint).toBe(key.md5);
    expect(parsed.ssh).toBe(key.openssh.split(' ').slice(0, 2).join(' '));
    expect(parsed.pem).toBe(key.pem);
  });

  it.each([
    ['a 1024-bit RSA key', sshKey(1024).openssh, 'InvalidPublicKey', /1024 bits/],
    ['base64 that is not a key', 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB', 'InvalidPublicKey', /malformed/],
    ['characters outside base64', 'ssh-rsa not-base64!', 'InvalidPublicKey', /malformed/],
    ['a blob of another key type', `ssh-rsa ${Buffer.from('\0\0\0\x0bssh-ed25519').toString('base64')}`, 'InvalidPublicKey', /malformed/],
    ['a PEM block that is not a key', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', 'InvalidPublicKey', /malformed/],
    ['an ed25519 key', ed25519Key(), 'UnrecognizedPublicKeyEncoding', /ssh-rsa or PEM/],
    ['plain text', 'hello', 'UnrecognizedPublicKeyEncoding', /ssh-rsa or PEM/],
  ])('refuses %s', (_name, body, code, message) => {
    let err: { code?: string; message?: string } | undefined;
    try {
      parseSshPublicKey(body);
    } catch (e) {
      err = e as { code: string; message: string };
    }
    expect(err?.code).toBe(code);
    expect(err?.message).toMatch(message);
  });
});
