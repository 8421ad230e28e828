/**
 * CloudTrail log files (`{"Records": […]}`), as delivered to S3 or exported by Castellan.
 * Only the fields the advisor reads are kept.
 */

/** One CloudTrail event. */
export interface TrailRecord {
  readonly eventTime: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly awsRegion?: string;
  readonly errorCode?: string;
  readonly userAgent?: string;
  readonly sourceIPAddress?: string;
  readonly identity: {
    readonly type?: string;
    readonly arn?: string;
    readonly accountId?: string;
    readonly accessKeyId?: string;
    /** For an assumed role: the role's ARN (`sessionContext.sessionIssuer.arn`). */
    readonly sessionIssuerArn?: string;
  };
  readonly requestParameters?: Readonly<Record<string, unknown>>;
  /** `resources[].ARN` of the record. */
  readonly resourceArns: readonly string[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** Reads one log file's value; undefined when it is not one. */
export function readTrailRecords(value: unknown): TrailRecord[] | undefined {
  const records = obj(value)?.['Records'];
  if (!Array.isArray(records)) return undefined;
  const out: TrailRecord[] = [];
  for (const r of records) {
    const o = obj(r);
    const eventTime = str(o?.['eventTime']);
    const eventSource = str(o?.['eventSource']);
    const eventName = str(o?.['eventName']);
    if (!o || !eventTime || !eventSource || !eventName) continue;
    const id = obj(o['userIdentity']) ?? {};
    const issuer = str(obj(obj(id['sessionContext'])?.['sessionIssuer'])?.['arn']);
    const identity: Record<string, string> = {};
    for (const k of ['type', 'arn', 'accountId', 'accessKeyId'] as const) if (str(id[k])) identity[k] = str(id[k])!;
    if (issuer) identity['sessionIssuerArn'] = issuer;
    const params = obj(o['requestParameters']);
    const resources = Array.isArray(o['resources']) ? o['resources'].flatMap((x) => (str(obj(x)?.['ARN']) ? [str(obj(x)?.['ARN'])!] : [])) : [];
    out.push({
      eventTime,
      eventSource,
      eventName,
      ...(str(o['awsRegion']) ? { awsRegion: str(o['awsRegion'])! } : {}),
      ...(str(o['errorCode']) ? { errorCode: str(o['errorCode'])! } : {}),
      ...(str(o['userAgent']) ? { userAgent: str(o['userAgent'])! } : {}),
      ...(str(o['sourceIPAddress']) ? { sourceIPAddress: str(o['sourceIPAddress'])! } : {}),
      identity: identity as TrailRecord['identity'],
      ...(params ? { requestParameters: params } : {}),
      resourceArns: resources,
    });
  }
  return out;
}

/**
 * The IAM action a record stands for: `iam.amazonaws.com` + `CreateUser` → `iam:CreateUser`.
 * The few services whose event source differs from their action prefix are mapped.
 */
export function actionOfRecord(r: Pick<TrailRecord, 'eventSource' | 'eventName'>): string {
  const host = r.eventSource.replace(/\.amazonaws\.com$/, '');
  const prefix = EVENT_SOURCE_PREFIX[host] ?? host;
  return `${prefix}:${r.eventName}`;
}

/** Event sources whose action prefix is another name (AWS's Service Authorization Reference). */
const EVENT_SOURCE_PREFIX: Record<string, string> = {
  monitoring: 'cloudwatch',
  email: 'ses',
};
