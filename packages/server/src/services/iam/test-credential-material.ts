/**
 * Test-only key and certificate material (excluded from the build by the `test-` prefix), made
 * with the system's `openssl` and `ssh-keygen` so the code under test is checked against
 * independent tools: RSA keys in OpenSSH and PEM form with ssh-keygen's MD5 fingerprint, and
 * X.509 certificates (self-signed, or a leaf signed by a CA) with their private keys.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function inTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'castellan-material-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** An RSA key pair's public half in both encodings, and its fingerprint as ssh-keygen computes it. */
export interface SshKeyMaterial {
  /** `ssh-rsa AAAA… comment` */
  openssh: string;
  /** `-----BEGIN PUBLIC KEY-----…` */
  pem: string;
  /** `-----BEGIN RSA PUBLIC KEY-----…` */
  pkcs1: string;
  /** `ssh-keygen -E md5 -l`, without the `MD5:` prefix. */
  md5: string;
}

/** A new RSA key of `bits` bits. */
export function sshKey(bits = 2048): SshKeyMaterial {
  return inTempDir((dir) => {
    const key = join(dir, 'id');
    run('ssh-keygen', ['-q', '-t', 'rsa', '-b', String(bits), '-N', '', '-C', 'test@castellan', '-f', key]);
    const openssh = readFileSync(`${key}.pub`, 'utf8').trim();
    const pem = run('ssh-keygen', ['-e', '-m', 'PKCS8', '-f', `${key}.pub`]).trim();
    const pkcs1 = run('ssh-keygen', ['-e', '-m', 'PEM', '-f', `${key}.pub`]).trim();
    const md5 = run('ssh-keygen', ['-l', '-E', 'md5', '-f', `${key}.pub`]).split(' ')[1]!.replace(/^MD5:/, '');
    return { openssh, pem, pkcs1, md5 };
  });
}

/** An Ed25519 key in OpenSSH form (a kind IAM does not take). */
export function ed25519Key(): string {
  return inTempDir((dir) => {
    const key = join(dir, 'id');
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    return readFileSync(`${key}.pub`, 'utf8').trim();
  });
}

/** A certificate (PEM), its private key (PEM, PKCS#8), and its validity. */
export interface CertificateMaterial {
  cert: string;
  key: string;
}

/** A self-signed RSA certificate valid from now for `days` days. */
export function selfSignedCertificate(cn = 'castellan.test', days = 30): CertificateMaterial {
  return inTempDir((dir) => {
    run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-days', String(days), '-subj', `/CN=${cn}`]);
    return { cert: readFileSync(join(dir, 'c'), 'utf8'), key: readFileSync(join(dir, 'k'), 'utf8') };
  });
}

/** A CA and a leaf it signed: the leaf's certificate and key, and the CA's certificate (the chain). */
export function signedCertificate(cn = 'www.castellan.test'): CertificateMaterial & { ca: string } {
  return inTempDir((dir) => {
    const p = (name: string) => join(dir, name);
    run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', '30', '-subj', '/CN=Castellan Test CA']);
    run('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('leaf.key'), '-out', p('leaf.csr'), '-subj', `/CN=${cn}`]);
    writeFileSync(p('ext'), 'basicConstraints=CA:FALSE\n');
    run('openssl', ['x509', '-req', '-in', p('leaf.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('leaf.crt'), '-days', '30', '-extfile', p('ext')]);
    return { cert: readFileSync(p('leaf.crt'), 'utf8'), key: readFileSync(p('leaf.key'), 'utf8'), ca: readFileSync(p('ca.crt'), 'utf8') };
  });
}
