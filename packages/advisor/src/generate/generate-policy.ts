/**
 * Least privilege from what was used: the smallest identity policy that allows every call a
 * principal made in a period, according to its CloudTrail records (AWS IAM Access Analyzer's
 * policy generation, offline). Actions come from eventSource + eventName; resources from the
 * records where they name them, else `*`; many resources of one action collapse to their
 * common prefix followed by `*`. A create whose record carries tags grants the resource type's
 * tagging action too (`iam:CreateUser` with tags also needed `iam:TagUser`, see `TAG_ON_CREATE`), on
 * the same resources.
 */
import type { AdvisorCatalog } from '../catalog.js';
import { actionOfRecord, type TrailRecord } from '../inputs/cloudtrail-records.js';
import { tagActionOnCreate } from '../tag-on-create.js';

export interface GenerateOptions {
  /** A user or role ARN; a role's sessions are matched through their session issuer. */
  principalArn: string;
  since?: Date;
  until?: Date;
  /** Normalizes action names and drops resources of types an action does not take. */
  catalog?: AdvisorCatalog;
  /** More distinct resources than this for one action collapse to a prefix (default 10). */
  maxResourcesPerAction?: number;
}

/** One call the records show, as the engine would be asked about it. */
export interface ObservedCall {
  readonly action: string;
  readonly resource: string;
  readonly eventTime: string;
}

export interface GeneratedPolicy {
  readonly document: { Version: '2012-10-17'; Statement: { Effect: 'Allow'; Action: string[]; Resource: string | string[] }[] };
  readonly calls: readonly ObservedCall[];
  /** Records of the principal that grant nothing, with why (`AccessDenied`, no permission needed…). */
  readonly skipped: readonly { readonly event: string; readonly reason: string }[];
}

/** Calls that need no permission (AWS: "No permissions are required to perform this operation"). */
const NO_PERMISSION = new Set(['sts:getcalleridentity']);
const DENIED = /AccessDenied|UnauthorizedOperation|Unauthorized|Forbidden/i;

/** Event names that are not the action's name. */
const EVENT_ACTION: Readonly<Record<string, string>> = {
  's3:listobjects': 's3:ListBucket',
  's3:listobjectsv2': 's3:ListBucket',
  's3:headobject': 's3:GetObject',
  's3:headbucket': 's3:ListBucket',
  'lambda:invoke': 'lambda:InvokeFunction',
};

function actionName(r: TrailRecord, catalog: AdvisorCatalog | undefined): string | undefined {
  let action = actionOfRecord(r);
  // Lambda's event names carry an API version (`CreateFunction20150331`, `UpdateFunctionCode20150331v2`).
  if (action.startsWith('lambda:')) action = action.replace(/\d{8}(v\d+)?$/, '');
  action = EVENT_ACTION[action.toLowerCase()] ?? action;
  if (!catalog) return action;
  const info = catalog.action(action);
  return info ? `${info.service}:${info.name}` : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** True when the record's request had tags (CloudTrail's `tags` of IAM creates, non-empty). */
function carriesTags(r: TrailRecord): boolean {
  const tags = r.requestParameters?.['tags'];
  return Array.isArray(tags) && tags.length > 0;
}

/** Resource ARNs the record names, or can be built from its parameters. */
function resourcesOf(r: TrailRecord, action: string): string[] {
  if (r.resourceArns.length > 0) return [...r.resourceArns];
  const p = r.requestParameters ?? {};
  const account = r.identity.accountId ?? '*';
  const region = r.awsRegion ?? '*';
  const service = action.slice(0, action.indexOf(':'));
  const out: string[] = [];
  if (service === 'iam') {
    if (str(p['userName'])) out.push(`arn:aws:iam::${account}:user/${str(p['userName'])}`);
    if (str(p['roleName'])) out.push(`arn:aws:iam::${account}:role/${str(p['roleName'])}`);
    if (str(p['groupName'])) out.push(`arn:aws:iam::${account}:group/${str(p['groupName'])}`);
    if (str(p['policyArn'])) out.push(str(p['policyArn'])!);
  } else if (service === 's3' && str(p['bucketName'])) {
    out.push(str(p['key']) ? `arn:aws:s3:::${str(p['bucketName'])}/${str(p['key'])}` : `arn:aws:s3:::${str(p['bucketName'])}`);
  } else if (service === 'dynamodb' && str(p['tableName'])) {
    out.push(`arn:aws:dynamodb:${region}:${account}:table/${str(p['tableName'])}`);
  } else if (service === 'lambda' && str(p['functionName'])) {
    const fn = str(p['functionName'])!;
    out.push(fn.startsWith('arn:') ? fn : `arn:aws:lambda:${region}:${account}:function:${fn}`);
  }
  return out;
}

function fitsType(resource: string, arnPattern: string): boolean {
  const source = arnPattern
    .split(/\$\{[^}]*\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.+');
  return new RegExp(`^${source}$`, 's').test(resource);
}

/** The resources of one call the action can be granted on (`*` when none can be named). */
function grantable(resources: string[], action: string, catalog: AdvisorCatalog | undefined): string[] {
  if (!catalog) return resources.length > 0 ? resources : ['*'];
  const types = catalog.action(action)?.resourceTypes ?? [];
  if (types.length === 0) return ['*'];
  const fit = resources.filter((r) => types.some((t) => fitsType(r, t.arnPattern)));
  return fit.length > 0 ? fit : ['*'];
}

function commonPrefix(values: readonly string[]): string {
  let prefix = values[0] ?? '';
  for (const v of values) while (!v.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** Collapses many resources to `prefix*`, never shorter than the ARN's service part. */
function collapse(resources: string[], max: number): string[] {
  if (resources.includes('*')) return ['*'];
  const unique = [...new Set(resources)].sort();
  if (unique.length <= max) return unique;
  const prefix = commonPrefix(unique);
  return prefix.split(':').length >= 6 || (prefix.startsWith('arn:aws:s3:::') && prefix.length > 'arn:aws:s3:::'.length) ? [`${prefix}*`] : ['*'];
}

/** Generates the policy. Pure: the records and the period come from the caller. */
export function generatePolicy(records: readonly TrailRecord[], options: GenerateOptions): GeneratedPolicy {
  const calls: ObservedCall[] = [];
  const skipped: { event: string; reason: string }[] = [];
  const byAction = new Map<string, string[]>();
  for (const r of records) {
    if (r.identity.arn !== options.principalArn && r.identity.sessionIssuerArn !== options.principalArn) continue;
    const t = Date.parse(r.eventTime);
    if ((options.since && t < options.since.getTime()) || (options.until && t > options.until.getTime())) continue;
    const event = `${r.eventSource} ${r.eventName}`;
    if (r.errorCode && DENIED.test(r.errorCode)) {
      skipped.push({ event, reason: `refused (${r.errorCode})` });
      continue;
    }
    const action = actionName(r, options.catalog);
    if (!action) {
      skipped.push({ event, reason: 'no such action in the catalogue' });
      continue;
    }
    if (NO_PERMISSION.has(action.toLowerCase())) {
      skipped.push({ event, reason: 'needs no permission' });
      continue;
    }
    const tagAction = carriesTags(r) ? tagActionOnCreate(action) : undefined;
    for (const granted of tagAction ? [action, tagAction] : [action]) {
      const resources = grantable(resourcesOf(r, granted), granted, options.catalog);
      for (const resource of resources) calls.push({ action: granted, resource, eventTime: r.eventTime });
      byAction.set(granted, [...(byAction.get(granted) ?? []), ...resources]);
    }
  }
  const max = options.maxResourcesPerAction ?? 10;
  // Actions with the same resources share a statement.
  const statements = new Map<string, { actions: string[]; resources: string[] }>();
  for (const [action, resources] of [...byAction.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const collapsed = collapse(resources, max);
    const key = collapsed.join('\n');
    const st = statements.get(key) ?? { actions: [], resources: collapsed };
    st.actions.push(action);
    statements.set(key, st);
  }
  const Statement = [...statements.values()]
    .sort((a, b) => a.actions[0]!.localeCompare(b.actions[0]!))
    .map((s) => ({ Effect: 'Allow' as const, Action: s.actions, Resource: s.resources.length === 1 ? s.resources[0]! : s.resources }));
  return { document: { Version: '2012-10-17', Statement }, calls, skipped };
}
