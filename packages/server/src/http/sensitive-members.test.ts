/**
 * No secret leaves the server through a side door. The test walks every member the AWS models mark
 * `sensitive` (IAM, STS, CloudTrail; the STS flags come from codegen's botocore overlay) and drives the
 * assembled server (`createCastellan(...).app.fetch`, signed requests, SQLite in a temporary folder):
 *
 * - each sensitive input member is sent with a distinctive value: a valid one, an over-long one and one
 *   its pattern refuses (so a validator that quoted it would echo it);
 * - each operation whose output carries a sensitive member is called, and what it returns is collected;
 * - a secret is put in the access-key-id position (header, malformed header, presigned URL);
 * - a malformed Authorization header carries a signature, which the trail must not keep.
 *
 * Then none of those values may appear in an HTTP response (input values only: a response carrying the
 * secret it issues is its purpose, and AWS echoes a malformed Authorization header), in a record
 * LookupEvents returns, in a stored audit row, in the exported trail files or in the log.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSecretMember } from '../audit/redact.js';
import { resolveConfig } from '../config/config.js';
import { unrecordedAccessKeyId } from '../domain/recordable-access-key-id.js';
import { createCastellan, type Castellan } from '../main.js';
import { CLOUDTRAIL_MODEL } from '../protocol/model/cloudtrail-model.js';
import { IAM_MODEL } from '../protocol/model/iam-model.js';
import type { OperationModel, ServiceModel, StringShape } from '../protocol/model/service-model.js';
import { STS_MODEL } from '../protocol/model/sts-model.js';
import { signedRequest, type TestCredentials } from '../sigv4/test-sign.js';

const ACCOUNT = '123456789012';
const ROOT: TestCredentials = { accessKeyId: 'AKIASENSITIVEROOT001', secretAccessKey: 'sensitive-walk-root-secret-0123456789abc' };
const URL_ = 'http://castellan.test/';
const TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101';
const QUERY_MODELS: ReadonlyArray<{ service: 'iam' | 'sts'; model: ServiceModel }> = [
  { service: 'iam', model: IAM_MODEL },
  { service: 'sts', model: STS_MODEL },
];

/** A sensitive member reached from an operation's input or output, as its Query parameter / XML element. */
interface SensitiveMember {
  service: 'iam' | 'sts';
  model: ServiceModel;
  op: OperationModel;
  /** Query parameter name (`PrivateKey`, `Tags.member.1.Value`) or, for output, the XML element name. */
  name: string;
  shape: string;
}

/** Which members a walk looks for: those the model marks sensitive, or those only `redact.ts` knows to be secret. */
type Kind = 'model' | 'name';

/** Every member under `shapeName` of that kind, with list indices set to 1. */
function sensitiveMembers(model: ServiceModel, shapeName: string, prefix: string, depth: number, out: Array<{ name: string; shape: string }>, kind: Kind = 'model', member = ''): void {
  const shape = model.shapes[shapeName];
  if (!shape || depth < 0) return;
  const marked = 'sensitive' in shape && shape.sensitive === true;
  if (kind === 'model' ? marked : !marked && shape.type === 'string' && isSecretMember(member)) {
    out.push({ name: prefix, shape: shapeName });
    return;
  }
  if (shape.type === 'structure') {
    for (const [name, ref] of Object.entries(shape.members)) sensitiveMembers(model, ref.shape, prefix ? `${prefix}.${ref.locationName ?? name}` : ref.locationName ?? name, depth - 1, out, kind, name);
  } else if (shape.type === 'list') {
    sensitiveMembers(model, shape.member.shape, shape.flattened ? `${prefix}.1` : `${prefix}.${shape.member.locationName ?? 'member'}.1`, depth - 1, out, kind, member);
  } else if (shape.type === 'map') {
    sensitiveMembers(model, shape.value.shape, `${prefix}.entry.1.value`, depth - 1, out, kind, member);
  }
}

function walk(side: 'input' | 'output', kind: Kind = 'model'): SensitiveMember[] {
  return QUERY_MODELS.flatMap(({ service, model }) =>
    Object.values(model.operations).flatMap((op) => {
      const root = side === 'input' ? op.input : op.output;
      const found: Array<{ name: string; shape: string }> = [];
      if (root) sensitiveMembers(model, root, '', 6, found, kind);
      return found.map((f) => ({ service, model, op, ...f }));
    }),
  );
}

/** Plausible values for the members operations require, so a call can get past validation to its service. */
const REQUIRED_VALUES: Readonly<Record<string, string>> = {
  UserName: 'walk-user',
  RoleArn: `arn:aws:iam::${ACCOUNT}:role/walk-role`,
  RoleSessionName: 'walk-session',
  PrincipalArn: `arn:aws:iam::${ACCOUNT}:saml-provider/walk-idp`,
  ServerCertificateName: 'walk-cert',
  CertificateBody: '-----BEGIN CERTIFICATE-----\nMIIBwalk\n-----END CERTIFICATE-----',
  ServiceName: 'codecommit.amazonaws.com',
  ServiceSpecificCredentialId: 'ACCAWALKWALKWALKWALKWALK',
  VirtualMFADeviceName: 'walk-mfa',
  SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/walk-mfa`,
  AuthenticationCode1: '123456',
  AuthenticationCode2: '654321',
  Name: 'walk-federated',
  OldPassword: 'Walk-0ld-passw0rd!',
  NewPassword: 'Walk-N3w-passw0rd!',
  Password: 'Walk-passw0rd-0123!',
  PrivateKey: '-----BEGIN RSA PRIVATE KEY-----walk-----END RSA PRIVATE KEY-----',
  SAMLAssertion: 'PHNhbWw+d2Fsazwvc2FtbD4=',
  WebIdentityToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3YWxrIn0.c2ln',
};

function requiredParams(model: ServiceModel, op: OperationModel): Record<string, string> {
  const input = op.input ? model.shapes[op.input] : undefined;
  if (input?.type !== 'structure') return {};
  const out: Record<string, string> = {};
  for (const member of input.required ?? []) {
    const value = REQUIRED_VALUES[member];
    if (value === undefined) throw new Error(`add a plausible value for ${op.name}.${member} to REQUIRED_VALUES`);
    out[input.members[member]!.locationName ?? member] = value;
  }
  return out;
}

/** `length` characters made of `mark` repeated: any fragment longer than two marks contains one whole. */
const fill = (mark: string, length: number) => mark.repeat(Math.ceil(length / mark.length)).slice(0, length);

/** One call of the walk: what was sent and the secret values it must never let out. */
interface WalkCall {
  label: string;
  /** Substrings that must appear nowhere (the distinctive mark of the value, or the secret's parts). */
  needles: string[];
  /** Whether the HTTP response is also checked (not for the secrets a response exists to return). */
  checkResponse: boolean;
  response?: string;
  requestId?: string;
  /** What the record of a call with a secret in the key-id position must show instead. */
  recordedKeyId?: string;
}

/** The value variants of one sensitive input shape: valid, over-long, refused by its pattern. */
function variants(shape: StringShape, mark: (variant: string) => string): Array<{ variant: string; value: string; needle: string }> {
  const out: Array<{ variant: string; value: string; needle: string }> = [];
  const validLength = Math.min(shape.max ?? 48, Math.max(shape.min ?? 1, 48));
  const valid = mark('valid');
  out.push({ variant: 'valid', value: fill(valid, validLength), needle: validLength >= valid.length ? valid : fill(valid, validLength) });
  if (shape.max !== undefined) {
    const long = mark('long');
    out.push({ variant: 'over-long', value: fill(long, shape.max + 1), needle: long });
  }
  if (shape.regex) {
    const bad = mark('pattern');
    out.push({ variant: 'refused by its pattern', value: `${fill(bad, validLength)}\u0001`, needle: bad });
  }
  return out;
}

const INPUTS = walk('input');
const OUTPUTS = walk('output');
/**
 * Members the models do not mark but `redact.ts` treats as secrets (MFA codes): AWS's validator quotes
 * them, so the response may too, but the trail must not, however long the quoted value.
 */
const SECRET_BY_NAME = walk('input', 'name');

let castellan: Castellan | undefined;
let dataDir: string;
const calls: WalkCall[] = [];
const logLines: string[] = [];
const surfaces = { lookupEvents: '', storedRows: '', exports: '' };
let lookupRecords: Array<Record<string, any>> = [];

async function send(req: Request): Promise<{ status: number; text: string; requestId: string | undefined }> {
  const res = await castellan!.app.fetch(req);
  const text = await res.text();
  return { status: res.status, text, requestId: /<RequestId>([^<]+)<\/RequestId>/.exec(text)?.[1] ?? res.headers.get('x-amzn-requestid') ?? undefined };
}

async function query(service: 'iam' | 'sts', model: ServiceModel, params: Record<string, string>, credentials: TestCredentials = ROOT) {
  const body = new URLSearchParams({ ...params, Version: model.apiVersion }).toString();
  return send(await signedRequest({ url: URL_, body, service, credentials }));
}

async function cloudTrail(operation: string, input: unknown): Promise<Record<string, any>> {
  const req = await signedRequest({ url: URL_, body: JSON.stringify(input), service: 'cloudtrail', credentials: ROOT, headers: { 'x-amz-target': `${TARGET}.${operation}`, 'content-type': 'application/x-amz-json-1.1' } });
  return (await (await castellan!.app.fetch(req)).json()) as Record<string, any>;
}

async function castellanCall(operation: string, input: unknown) {
  return send(await signedRequest({ url: URL_, body: JSON.stringify(input), service: 'castellan', credentials: ROOT, headers: { 'x-amz-target': `Castellan_20261201.${operation}`, 'content-type': 'application/x-amz-json-1.1' } }));
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))));
  return nested.flat();
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'castellan-sensitive-'));
  const resolved = resolveConfig([{ dataDir, accountId: ACCOUNT, rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey, masterKey: 'a'.repeat(64), logLevel: 'trace', trailExportMinutes: 60, rateLimitPerKey: 0, rateLimitPerAddress: 0 }]);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
  const logger = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) });
  castellan = await createCastellan(resolved.config, { logger });

  // Entities the plausible values name, so valid calls reach their services.
  await query('iam', IAM_MODEL, { Action: 'CreateUser', UserName: 'walk-user' });
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
  await query('iam', IAM_MODEL, { Action: 'CreateRole', RoleName: 'walk-role', AssumeRolePolicyDocument: trust });
  // An instance profile whose role EC2 may assume, for the castellan workload calls below.
  const ec2Trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  await query('iam', IAM_MODEL, { Action: 'CreateRole', RoleName: 'walk-ec2-role', AssumeRolePolicyDocument: ec2Trust });
  await query('iam', IAM_MODEL, { Action: 'CreateInstanceProfile', InstanceProfileName: 'walk-profile' });
  await query('iam', IAM_MODEL, { Action: 'AddRoleToInstanceProfile', InstanceProfileName: 'walk-profile', RoleName: 'walk-ec2-role' });
  const before = (await castellan.store.scanAuditEvents({ fromSeq: 0, limit: 10_000 })).length;

  // Every sensitive input member, in each variant.
  let n = 0;
  for (const m of INPUTS) {
    const shape = m.model.shapes[m.shape] as StringShape;
    for (const v of variants(shape, (variant) => `Snsv${String(n++).padStart(3, '0')}${variant.slice(0, 1).toUpperCase()}q`)) {
      const r = await query(m.service, m.model, { ...requiredParams(m.model, m.op), Action: m.op.name, [m.name]: v.value });
      calls.push({ label: `${m.op.name} ${m.name} (${v.variant})`, needles: [v.needle], checkResponse: true, response: r.text, ...(r.requestId ? { requestId: r.requestId } : {}) });
    }
  }

  for (const m of SECRET_BY_NAME) {
    const shape = m.model.shapes[m.shape] as StringShape;
    const mark = `Scrt${String(n++).padStart(3, '0')}Xq`;
    // Far longer than the 1,024 characters a record keeps of a message: the scrub must see it whole.
    const r = await query(m.service, m.model, { ...requiredParams(m.model, m.op), Action: m.op.name, [m.name]: fill(mark, Math.max(3000, (shape.max ?? 0) + 1)) });
    calls.push({ label: `${m.op.name} ${m.name} (secret by name, over-long)`, needles: [mark], checkResponse: false, ...(r.requestId ? { requestId: r.requestId } : {}) });
  }

  // Every operation whose output carries a sensitive member: what it returns must stay in the response.
  for (const op of new Set(OUTPUTS.map((o) => o.op))) {
    const m = OUTPUTS.find((o) => o.op === op)!;
    const r = await query(m.service, m.model, { ...requiredParams(m.model, op), Action: op.name });
    const returned = OUTPUTS.filter((o) => o.op === op).flatMap((o) => [...r.text.matchAll(new RegExp(`<${o.name.split('.').at(-1)}>([^<]+)</`, 'g'))].map((x) => x[1]!));
    calls.push({ label: `${op.name} response (${r.status})`, needles: returned, checkResponse: false, ...(r.requestId ? { requestId: r.requestId } : {}) });
  }

  // Castellan's own API (AWS JSON): every answer that carries a secret, and the bootstrap secret as a credential.
  const created = await castellanCall('CreateAccount', {});
  calls.push({ label: 'castellan CreateAccount response', needles: [JSON.parse(created.text)['RootSecretAccessKey']], checkResponse: false, ...(created.requestId ? { requestId: created.requestId } : {}) });
  const registered = await castellanCall('RegisterWorkload', { InstanceProfileName: 'walk-profile' });
  const bootstrapSecret = JSON.parse(registered.text)['BootstrapSecret'] as string;
  calls.push({ label: 'castellan RegisterWorkload response', needles: [bootstrapSecret], checkResponse: false, ...(registered.requestId ? { requestId: registered.requestId } : {}) });
  const exchanged = await send(new Request(URL_, { method: 'POST', body: '{}', headers: { authorization: `Bearer ${bootstrapSecret}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Castellan_20261201.GetWorkloadCredentials' } }));
  const issued = JSON.parse(exchanged.text)['Credentials'] as { SecretAccessKey: string; SessionToken: string };
  calls.push({ label: 'castellan GetWorkloadCredentials response', needles: [bootstrapSecret, issued.SecretAccessKey, issued.SessionToken], checkResponse: false, ...(exchanged.requestId ? { requestId: exchanged.requestId } : {}) });

  // A secret in the access-key-id position.
  const secret = (i: number) => `wJalrKeyPos${i}EMI/K7MDENG/bPxRfiCYPASTED${i}Q`.slice(0, 40);
  const needlesOf = (s: string) => [s, ...s.split(/[/+]/).filter((p) => p.length >= 6)];
  const keyCases: Array<{ label: string; secret: string; make: (s: string) => Promise<Request> }> = [
    { label: 'secret as the key id of a signed header', secret: secret(1), make: (s) => signedRequest({ url: URL_, body: 'Action=ListUsers&Version=2010-05-08', service: 'iam', credentials: { accessKeyId: s, secretAccessKey: ROOT.secretAccessKey } }) },
    { label: 'secret as the key id of a presigned URL', secret: secret(2), make: (s) => signedRequest({ url: `${URL_}?Action=ListUsers&Version=2010-05-08`, service: 'iam', presign: true, credentials: { accessKeyId: s, secretAccessKey: ROOT.secretAccessKey } }) },
    {
      label: 'secret in a malformed header (AWS echoes the header)', secret: secret(3),
      make: async (s) => new Request(URL_, { method: 'POST', body: 'Action=ListUsers&Version=2010-05-08', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-amz-date': '20260102T030405Z', authorization: `AWS4-HMAC-SHA256 Credential=${s}/20260102/us-east-1/iam/aws4_request, Signature=abcdef` } }),
    },
    {
      label: 'secret as a credential without a scope', secret: secret(4).replace(/\//g, '+'),
      make: async (s) => new Request(URL_, { method: 'POST', body: 'Action=ListUsers&Version=2010-05-08', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-amz-date': '20260102T030405Z', authorization: `AWS4-HMAC-SHA256 Credential=${s}, SignedHeaders=host, Signature=abcdef` } }),
    },
  ];
  for (const k of keyCases) {
    const r = await send(await k.make(k.secret));
    calls.push({ label: k.label, needles: needlesOf(k.secret), checkResponse: false, recordedKeyId: unrecordedAccessKeyId(k.secret.length), ...(r.requestId ? { requestId: r.requestId } : {}) });
  }

  // The signature of a malformed Authorization header (AWS echoes the header to its sender): a reader
  // of the trail could otherwise correct the header and replay the request within its 15 minutes.
  const signature = `${'5157ed'.repeat(10)}abcd`;
  const malformed = await send(new Request(URL_, { method: 'POST', body: 'Action=ListUsers&Version=2010-05-08', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-amz-date': '20260102T030405Z', authorization: `aws4-hmac-sha256 Credential=${ROOT.accessKeyId}/20260102/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${signature}` } }));
  calls.push({ label: 'signature of a malformed Authorization header', needles: [signature], checkResponse: false, ...(malformed.requestId ? { requestId: malformed.requestId } : {}) });

  // Wait for the batched events of refused and read-only calls, then read every surface.
  for (let i = 0; i < 100 && (await castellan.store.scanAuditEvents({ fromSeq: 0, limit: 10_000 })).length < before + calls.length; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const rows = await castellan.store.scanAuditEvents({ fromSeq: 0, limit: 10_000 });
  surfaces.storedRows = JSON.stringify(rows);
  let nextToken: string | undefined;
  do {
    const page = await cloudTrail('LookupEvents', { MaxResults: 50, ...(nextToken ? { NextToken: nextToken } : {}) });
    for (const e of (page['Events'] as Array<{ CloudTrailEvent: string }>) ?? []) lookupRecords.push(JSON.parse(e.CloudTrailEvent));
    nextToken = page['NextToken'] as string | undefined;
  } while (nextToken);
  surfaces.lookupEvents = JSON.stringify(lookupRecords);
  await castellan.close(); // the final export runs on close
  castellan = undefined;
  const files = await filesUnder(join(dataDir, 'trail'));
  surfaces.exports = (await Promise.all(files.map(async (f) => {
    const bytes = await readFile(f);
    return f.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  }))).join('\n');
}, 120_000);

afterAll(async () => {
  await castellan?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const leaks = (surface: string, list: readonly WalkCall[] = calls) => list.filter((c) => c.needles.some((n) => surface.includes(n))).map((c) => c.label);

describe('sensitive members never leave through a side door', () => {
  it('walks the sensitive members of IAM and STS (CloudTrail marks none: a JSON sender is needed if it ever does)', () => {
    expect(INPUTS.map((m) => `${m.service}:${m.op.name}.${m.name}`)).toEqual(expect.arrayContaining(['sts:AssumeRoleWithSAML.SAMLAssertion', 'sts:AssumeRoleWithWebIdentity.WebIdentityToken', 'iam:ChangePassword.OldPassword', 'iam:UploadServerCertificate.PrivateKey']));
    expect(OUTPUTS.map((m) => `${m.service}:${m.op.name}`)).toEqual(expect.arrayContaining(['iam:CreateAccessKey', 'sts:GetSessionToken']));
    expect(SECRET_BY_NAME.map((m) => `${m.service}:${m.op.name}.${m.name}`)).toEqual(expect.arrayContaining(['sts:GetSessionToken.TokenCode', 'iam:EnableMFADevice.AuthenticationCode1']));
    const cloudTrailSensitive: Array<{ name: string; shape: string }> = [];
    for (const op of Object.values(CLOUDTRAIL_MODEL.operations)) {
      for (const root of [op.input, op.output]) if (root) sensitiveMembers(CLOUDTRAIL_MODEL, root, '', 6, cloudTrailSensitive);
    }
    expect(cloudTrailSensitive).toEqual([]);
  });

  it('collected the secrets the server issued (CreateAccessKey at least) and sent a value in every variant', () => {
    expect(calls.find((c) => c.label.startsWith('CreateAccessKey response (200)'))?.needles.length).toBeGreaterThan(0);
    for (const label of ['castellan CreateAccount response', 'castellan RegisterWorkload response', 'castellan GetWorkloadCredentials response']) {
      expect(calls.find((c) => c.label === label)?.needles.every((n) => typeof n === 'string' && n.length > 20), label).toBe(true);
    }
    expect(calls.filter((c) => c.checkResponse).length).toBeGreaterThanOrEqual(INPUTS.length * 2);
    expect(calls.every((c) => c.requestId !== undefined)).toBe(true);
  });

  it('no sensitive input value in any HTTP response (validation errors do not quote it)', () => {
    expect(calls.filter((c) => c.checkResponse && c.needles.some((n) => c.response!.includes(n))).map((c) => c.label)).toEqual([]);
  });

  it('no secret in the records LookupEvents returns, and every call has its record', () => {
    const ids = new Set(lookupRecords.map((r) => r['requestID']));
    expect(calls.filter((c) => !ids.has(c.requestId)).map((c) => c.label)).toEqual([]);
    expect(leaks(surfaces.lookupEvents)).toEqual([]);
  });

  it('records a secret sent as the key id only as a placeholder with its length', () => {
    for (const c of calls.filter((x) => x.recordedKeyId)) {
      const record = lookupRecords.find((r) => r['requestID'] === c.requestId);
      expect(record?.['userIdentity'], c.label).toMatchObject({ type: 'Unknown', accessKeyId: c.recordedKeyId });
    }
  });

  it('no secret in the stored audit rows (record, columns, resources)', () => {
    expect(surfaces.storedRows.length).toBeGreaterThan(0);
    expect(leaks(surfaces.storedRows)).toEqual([]);
  });

  it('no secret in the exported trail files, which hold every call', () => {
    expect(calls.filter((c) => !surfaces.exports.includes(`"requestID":"${c.requestId}"`)).map((c) => c.label)).toEqual([]);
    expect(leaks(surfaces.exports)).toEqual([]);
  });

  it('no secret in the log', () => {
    expect(leaks(logLines.join(''))).toEqual([]);
  });
});
