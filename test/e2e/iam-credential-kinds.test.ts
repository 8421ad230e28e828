/**
 * SSH public keys, signing and server certificates and service-specific credentials over the wire,
 * with @aws-sdk/client-iam and one AWS CLI v2 call per kind: good and bad inputs, AWS's error codes,
 * secrets returned once and absent from the audit trail, and DeleteUser's conflicts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateAccessKeyCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  PutUserPolicyCommand,
  DeleteServerCertificateCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteSigningCertificateCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  GetAccountSummaryCommand,
  GetServerCertificateCommand,
  GetSSHPublicKeyCommand,
  ListServerCertificatesCommand,
  ListServerCertificateTagsCommand,
  ListServiceSpecificCredentialsCommand,
  ListSigningCertificatesCommand,
  ListSSHPublicKeysCommand,
  ResetServiceSpecificCredentialCommand,
  TagServerCertificateCommand,
  UpdateServerCertificateCommand,
  UpdateServiceSpecificCredentialCommand,
  UpdateSigningCertificateCommand,
  UpdateSSHPublicKeyCommand,
  UploadServerCertificateCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate, signedCertificate, sshKey } from '../../packages/server/src/services/iam/test-credential-material.js';
import { sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { AWS_CLI as AWS, awsCliEnv } from './helpers/aws-cli.js';

const run = promisify(execFile);

let t: TestCastellan;
let iam: IAMClient;
let dir: string;

/** Runs the AWS CLI as root; parsed JSON output, or throws with its stderr. */
async function aws(...args: string[]): Promise<any> {
  const { stdout } = await run(AWS, ['--endpoint-url', t.url, '--output', 'json', ...args], {
    env: awsCliEnv(t.root),
  });
  return stdout.trim() ? JSON.parse(stdout) : {};
}

/** Writes `text` to a temporary file and returns its `file://` URL for the CLI. */
async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return `file://${path}`;
}

async function auditText(): Promise<string> {
  return (await t.server.store.scanAuditEvents({ fromSeq: 0, limit: 100_000 })).map((e) => e.recordJson).join('\n');
}

beforeAll(async () => {
  t = await startTestCastellan();
  iam = t.iam();
  dir = await mkdtemp(join(tmpdir(), 'castellan-credkinds-'));
});
afterAll(async () => {
  await t?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('SSH public keys', () => {
  it('uploads (SDK and CLI), gets in both encodings, lists, deactivates and deletes; refuses bad keys', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'coder' }));
    const a = sshKey();
    const { SSHPublicKey } = await iam.send(new UploadSSHPublicKeyCommand({ UserName: 'coder', SSHPublicKeyBody: a.openssh }));
    expect(SSHPublicKey).toMatchObject({ UserName: 'coder', Fingerprint: a.md5, Status: 'Active' });
    expect(SSHPublicKey!.SSHPublicKeyId).toMatch(/^APKA[A-Z2-7]{16}$/);
    const id = SSHPublicKey!.SSHPublicKeyId!;
    const pem = await iam.send(new GetSSHPublicKeyCommand({ UserName: 'coder', SSHPublicKeyId: id, Encoding: 'PEM' }));
    expect(pem.SSHPublicKey?.SSHPublicKeyBody).toBe(a.pem);
    const b = sshKey();
    const viaCli = await aws('iam', 'upload-ssh-public-key', '--user-name', 'coder', '--ssh-public-key-body', await file('b.pem', b.pem));
    expect(viaCli.SSHPublicKey).toMatchObject({ UserName: 'coder', Fingerprint: b.md5, Status: 'Active' });
    const ssh = await iam.send(new GetSSHPublicKeyCommand({ UserName: 'coder', SSHPublicKeyId: viaCli.SSHPublicKey.SSHPublicKeyId, Encoding: 'SSH' }));
    expect(ssh.SSHPublicKey?.SSHPublicKeyBody).toBe(b.openssh.split(' ').slice(0, 2).join(' '));
    expect(await sdkError(() => iam.send(new UploadSSHPublicKeyCommand({ UserName: 'coder', SSHPublicKeyBody: a.pkcs1 })))).toMatchObject({ name: 'DuplicateSSHPublicKeyException', status: 400 });
    expect(await sdkError(() => iam.send(new UploadSSHPublicKeyCommand({ UserName: 'coder', SSHPublicKeyBody: sshKey(1024).openssh })))).toMatchObject({ name: 'InvalidPublicKeyException' });
    expect(await sdkError(() => iam.send(new UploadSSHPublicKeyCommand({ UserName: 'coder', SSHPublicKeyBody: 'not a key' })))).toMatchObject({ name: 'UnrecognizedPublicKeyEncodingException' });
    await iam.send(new UpdateSSHPublicKeyCommand({ UserName: 'coder', SSHPublicKeyId: id, Status: 'Inactive' }));
    const listed = await iam.send(new ListSSHPublicKeysCommand({ UserName: 'coder' }));
    expect(listed.SSHPublicKeys?.map((k) => [k.SSHPublicKeyId, k.Status])).toEqual([[id, 'Inactive'], [viaCli.SSHPublicKey.SSHPublicKeyId, 'Active']]);
    expect(await sdkError(() => iam.send(new DeleteUserCommand({ UserName: 'coder' })))).toMatchObject({ name: 'DeleteConflictException', message: 'Cannot delete entity, must remove referenced objects first.' });
    for (const k of listed.SSHPublicKeys!) await iam.send(new DeleteSSHPublicKeyCommand({ UserName: 'coder', SSHPublicKeyId: k.SSHPublicKeyId! }));
    expect(await sdkError(() => iam.send(new DeleteSSHPublicKeyCommand({ UserName: 'coder', SSHPublicKeyId: id })))).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    await iam.send(new DeleteUserCommand({ UserName: 'coder' }));
  });
});

describe('signing certificates', () => {
  it("uploads for a user (CLI) and for the root (SDK), lists, updates, refuses malformed and duplicate ones", async () => {
    await iam.send(new CreateUserCommand({ UserName: 'signer' }));
    const a = selfSignedCertificate('signer');
    const up = await aws('iam', 'upload-signing-certificate', '--user-name', 'signer', '--certificate-body', await file('a.crt', a.cert));
    expect(up.Certificate).toMatchObject({ UserName: 'signer', Status: 'Active', CertificateBody: a.cert.trim() });
    expect(up.Certificate.CertificateId).toMatch(/^[A-Z2-7]{32}$/);
    expect(await sdkError(() => iam.send(new UploadSigningCertificateCommand({ CertificateBody: a.cert })))).toMatchObject({ name: 'DuplicateCertificateException', status: 409 });
    expect(await sdkError(() => iam.send(new UploadSigningCertificateCommand({ UserName: 'signer', CertificateBody: 'garbage' })))).toMatchObject({
      name: 'MalformedCertificateException',
      message: 'Unable to parse certificate. Please ensure the certificate is in PEM format.',
    });
    const rootCert = await iam.send(new UploadSigningCertificateCommand({ CertificateBody: selfSignedCertificate('root').cert }));
    expect(rootCert.Certificate?.UserName).toBeUndefined();
    expect((await iam.send(new GetAccountSummaryCommand({}))).SummaryMap).toMatchObject({ AccountSigningCertificatesPresent: 1, SigningCertificatesPerUserQuota: 2 });
    await iam.send(new UpdateSigningCertificateCommand({ UserName: 'signer', CertificateId: up.Certificate.CertificateId, Status: 'Inactive' }));
    expect((await iam.send(new ListSigningCertificatesCommand({ UserName: 'signer' }))).Certificates?.map((c) => c.Status)).toEqual(['Inactive']);
    expect((await iam.send(new ListSigningCertificatesCommand({}))).Certificates?.map((c) => c.CertificateId)).toEqual([rootCert.Certificate?.CertificateId]);
    expect(await sdkError(() => iam.send(new DeleteUserCommand({ UserName: 'signer' })))).toMatchObject({ name: 'DeleteConflictException' });
    await iam.send(new DeleteSigningCertificateCommand({ UserName: 'signer', CertificateId: up.Certificate.CertificateId }));
    await iam.send(new DeleteSigningCertificateCommand({ CertificateId: rootCert.Certificate!.CertificateId! }));
    await iam.send(new DeleteUserCommand({ UserName: 'signer' }));
  });
});

describe('server certificates', () => {
  it('uploads with key and chain (CLI), never returns or records the key, gets, lists, renames, tags, deletes', async () => {
    const leaf = signedCertificate();
    const up = await aws('iam', 'upload-server-certificate', '--server-certificate-name', 'web', '--path', '/cloudfront/',
      '--certificate-body', await file('leaf.crt', leaf.cert), '--private-key', await file('leaf.key', leaf.key), '--certificate-chain', await file('ca.crt', leaf.ca),
      '--tags', 'Key=env,Value=prod');
    expect(up.ServerCertificateMetadata).toMatchObject({ ServerCertificateName: 'web', Path: '/cloudfront/', Arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:server-certificate/cloudfront/web` });
    expect(up.ServerCertificateMetadata.ServerCertificateId).toMatch(/^ASCA/);
    expect(up.Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
    const got = await iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'web' }));
    expect(got.ServerCertificate).toMatchObject({ CertificateBody: leaf.cert.trim(), CertificateChain: leaf.ca.trim(), Tags: [{ Key: 'env', Value: 'prod' }] });
    expect(got.ServerCertificate?.ServerCertificateMetadata?.Expiration?.getTime()).toBeGreaterThan(Date.now());
    expect(JSON.stringify(got)).not.toContain('PRIVATE KEY');
    const keyLine = leaf.key.split('\n')[1]!;
    expect(await auditText()).toContain('UploadServerCertificate');
    expect(await auditText()).not.toContain(keyLine);

    const other = selfSignedCertificate();
    expect(await sdkError(() => iam.send(new UploadServerCertificateCommand({ ServerCertificateName: 'bad', CertificateBody: other.cert, PrivateKey: leaf.key }))))
      .toMatchObject({ name: 'KeyPairMismatchException', status: 400 });
    expect(await sdkError(() => iam.send(new UploadServerCertificateCommand({ ServerCertificateName: 'bad', CertificateBody: 'x', PrivateKey: leaf.key }))))
      .toMatchObject({ name: 'MalformedCertificateException' });
    expect(await sdkError(() => iam.send(new UploadServerCertificateCommand({ ServerCertificateName: 'WEB', CertificateBody: other.cert, PrivateKey: other.key }))))
      .toMatchObject({ name: 'EntityAlreadyExistsException', status: 409 });

    await iam.send(new UploadServerCertificateCommand({ ServerCertificateName: 'api', CertificateBody: other.cert, PrivateKey: other.key }));
    expect((await iam.send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList?.map((c) => c.ServerCertificateName)).toEqual(['api', 'web']);
    expect((await iam.send(new ListServerCertificatesCommand({ PathPrefix: '/cloudfront/' }))).ServerCertificateMetadataList?.map((c) => c.ServerCertificateName)).toEqual(['web']);
    expect((await iam.send(new GetAccountSummaryCommand({}))).SummaryMap).toMatchObject({ ServerCertificates: 2, ServerCertificatesQuota: 20 });
    await iam.send(new UpdateServerCertificateCommand({ ServerCertificateName: 'api', NewServerCertificateName: 'api2', NewPath: '/v2/' }));
    expect((await iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'api2' }))).ServerCertificate?.ServerCertificateMetadata?.Arn)
      .toBe(`arn:aws:iam::${E2E_ACCOUNT_ID}:server-certificate/v2/api2`);
    await iam.send(new TagServerCertificateCommand({ ServerCertificateName: 'api2', Tags: [{ Key: 'team', Value: 'core' }] }));
    expect((await iam.send(new ListServerCertificateTagsCommand({ ServerCertificateName: 'api2' }))).Tags).toEqual([{ Key: 'team', Value: 'core' }]);
    await iam.send(new DeleteServerCertificateCommand({ ServerCertificateName: 'api2' }));
    await iam.send(new DeleteServerCertificateCommand({ ServerCertificateName: 'web' }));
    expect(await sdkError(() => iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'web' }))))
      .toMatchObject({ name: 'NoSuchEntityException', message: 'The Server Certificate with name web cannot be found.' });
  });
});

describe('service-specific credentials', () => {
  it('creates (CLI) and resets with the password shown once and never recorded; lists, updates, deletes', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'git' }));
    const created = await aws('iam', 'create-service-specific-credential', '--user-name', 'git', '--service-name', 'codecommit.amazonaws.com');
    const cred = created.ServiceSpecificCredential;
    expect(cred).toMatchObject({ UserName: 'git', ServiceName: 'codecommit.amazonaws.com', ServiceUserName: `git-at-${E2E_ACCOUNT_ID}`, Status: 'Active' });
    expect(cred.ServicePassword).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const reset = await iam.send(new ResetServiceSpecificCredentialCommand({ UserName: 'git', ServiceSpecificCredentialId: cred.ServiceSpecificCredentialId }));
    expect(reset.ServiceSpecificCredential?.ServicePassword).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(reset.ServiceSpecificCredential?.ServicePassword).not.toBe(cred.ServicePassword);
    const audit = await auditText();
    expect(audit).toContain('ResetServiceSpecificCredential');
    expect(audit).not.toContain(cred.ServicePassword);
    expect(audit).not.toContain(reset.ServiceSpecificCredential!.ServicePassword!);
    expect(await sdkError(() => iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'git', ServiceName: 'ec2.amazonaws.com' }))))
      .toMatchObject({ name: 'ServiceNotSupportedException' });
    await iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: 'git', ServiceSpecificCredentialId: cred.ServiceSpecificCredentialId, Status: 'Inactive' }));
    const listed = await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: 'git' }));
    expect(listed.ServiceSpecificCredentials?.map((c) => c.Status)).toEqual(['Inactive']);
    expect(JSON.stringify(listed)).not.toContain('ServicePassword');
    expect(await sdkError(() => iam.send(new DeleteUserCommand({ UserName: 'git' })))).toMatchObject({ name: 'DeleteConflictException' });
    await iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: 'git', ServiceSpecificCredentialId: cred.ServiceSpecificCredentialId }));
    await iam.send(new DeleteUserCommand({ UserName: 'git' }));
  });
});

describe('authorization', () => {
  it('checks iam:ServiceSpecificCredentialServiceName, and both ARNs of a server certificate rename', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'ops' }));
    await iam.send(new CreateUserCommand({ UserName: 'dev2' }));
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iam:CreateServiceSpecificCredential', Resource: '*', Condition: { StringEquals: { 'iam:ServiceSpecificCredentialServiceName': 'codecommit.amazonaws.com' } } },
        { Effect: 'Allow', Action: ['iam:UploadServerCertificate', 'iam:UpdateServerCertificate'], Resource: `arn:aws:iam::${E2E_ACCOUNT_ID}:server-certificate/ops/*` },
      ],
    };
    await iam.send(new PutUserPolicyCommand({ UserName: 'ops', PolicyName: 'p', PolicyDocument: JSON.stringify(policy) }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'ops' }));
    const ops = t.iam({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
    const made = await ops.send(new CreateServiceSpecificCredentialCommand({ UserName: 'dev2', ServiceName: 'codecommit.amazonaws.com' }));
    expect(made.ServiceSpecificCredential?.ServiceName).toBe('codecommit.amazonaws.com');
    expect(await sdkError(() => ops.send(new CreateServiceSpecificCredentialCommand({ UserName: 'dev2', ServiceName: 'cassandra.amazonaws.com' })))).toMatchObject({ name: 'AccessDenied', status: 403 });
    const c = selfSignedCertificate();
    await ops.send(new UploadServerCertificateCommand({ ServerCertificateName: 'opscert', Path: '/ops/', CertificateBody: c.cert, PrivateKey: c.key }));
    expect(await sdkError(() => ops.send(new UploadServerCertificateCommand({ ServerCertificateName: 'elsewhere', CertificateBody: c.cert, PrivateKey: c.key })))).toMatchObject({ name: 'AccessDenied' });
    await ops.send(new UpdateServerCertificateCommand({ ServerCertificateName: 'opscert', NewServerCertificateName: 'opscert2' }));
    expect(await sdkError(() => ops.send(new UpdateServerCertificateCommand({ ServerCertificateName: 'opscert2', NewPath: '/public/' })))).toMatchObject({ name: 'AccessDenied' });
    await iam.send(new DeleteServerCertificateCommand({ ServerCertificateName: 'opscert2' }));
  });
});
