/**
 * The Ed25519 key pair that signs digest files. CloudTrail signs with a per-region RSA key and
 * publishes the public half through `ListPublicKeys`; Castellan keeps one Ed25519 pair in the data
 * folder (the private key readable only by its owner) and publishes the public half the same way.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { link, mkdir, open, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** File name of the private key (PKCS#8 PEM, mode 0600) inside the data folder. */
export const SIGNING_KEY_FILE = 'trail-signing-key.pem';
/** File name of the public key (SPKI PEM) inside the data folder. */
export const PUBLIC_KEY_FILE = 'trail-signing-key.pub.pem';

/** The digest signing key pair. */
export interface TrailSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Hex MD5 of the DER public key: 32 hex digits, the form of CloudTrail's `digestPublicKeyFingerprint`. */
  fingerprint: string;
  /** When the key was created (the key file's mtime): the start of its validity. */
  createdAt: Date;
}

/** A public key as `ListPublicKeys` and `trail verify` use it. */
export interface TrailPublicKey {
  publicKey: KeyObject;
  fingerprint: string;
  /** DER SubjectPublicKeyInfo. */
  der: Buffer;
  createdAt: Date;
}

/** CloudTrail-style fingerprint of a public key. */
export function publicKeyFingerprint(publicKey: KeyObject): string {
  return createHash('md5').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/**
 * Loads the data folder's signing key, creating it on first use. Two processes starting together
 * agree on one key: the loser of the race reads the winner's.
 */
export async function loadOrCreateSigningKey(dataDir: string): Promise<TrailSigningKey> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, SIGNING_KEY_FILE);
  // Written to a temporary file and hard-linked into place: link() fails if the name exists, so
  // two processes starting at once agree on one key and neither reads a half-written file.
  if (!(await stat(path).catch(() => undefined))) {
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temp, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      await unlink(temp);
    }
  }
  const pem = await readFile(path, 'utf8');
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`trail signing key \`${path}\` is not an Ed25519 key`);
  const publicKey = createPublicKey(privateKey);
  const createdAt = (await stat(path)).mtime;
  const pubPath = join(dataDir, PUBLIC_KEY_FILE);
  const pubPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const existing = await readFile(pubPath, 'utf8').catch(() => undefined);
  if (existing !== pubPem) await writeFile(pubPath, pubPem, { mode: 0o644 });
  return { privateKey, publicKey, fingerprint: publicKeyFingerprint(publicKey), createdAt };
}

/** Reads a public key file (SPKI PEM), e.g. the one `castellan trail public-key` prints. */
export async function readPublicKeyFile(path: string): Promise<TrailPublicKey> {
  const pem = await readFile(path, 'utf8');
  const publicKey = createPublicKey(pem);
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error(`public key \`${path}\` is not an Ed25519 key`);
  return describePublicKey(publicKey, (await stat(path)).mtime);
}

/** The public half of a signing key, in `ListPublicKeys`' terms. */
export function describePublicKey(publicKey: KeyObject, createdAt: Date): TrailPublicKey {
  return { publicKey, fingerprint: publicKeyFingerprint(publicKey), der: publicKey.export({ type: 'spki', format: 'der' }), createdAt };
}
