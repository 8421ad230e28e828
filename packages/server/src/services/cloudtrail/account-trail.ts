/**
 * The one trail every account has. Castellan records every request of an account (hash-chained in
 * the store) and, when the export runs, delivers it as log files with signed digests named after
 * this trail. There is nothing to create or delete: the trail describing operations describe that
 * real recording; StopLogging/StartLogging stop and resume its deliveries (trail-logging.ts) and
 * AddTags/RemoveTags tag it (trail-tags.ts); the other mutating operations are not implemented.
 *
 * @module
 */
import { CloudTrailArnInvalidError, InvalidTrailNameError, TrailNotFoundError } from './cloudtrail-errors.js';

/** The trail's name: the one the export's digest file names carry. */
export const TRAIL_NAME = 'castellan';

/** When the account's trail last delivered files (absent: never, or not known to this node). */
export interface TrailDeliveries {
  latestDelivery?: Date;
  latestDigestDelivery?: Date;
}

/** What the deployment says about every account's trail. */
export interface TrailSettings {
  /** The configured region: the trail's home region. */
  homeRegion: string;
  /** True when delivered log files get signed digests (whenever there is a signing key). */
  logFileValidation: boolean;
  /** The latest deliveries of an account's trail, from the export folder. */
  deliveries(accountId: string): Promise<TrailDeliveries>;
}

/** The trail of one account, as the describing operations report it. */
export interface AccountTrail {
  name: string;
  arn: string;
  homeRegion: string;
  logFileValidation: boolean;
}

/** `arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME`. */
export function trailArn(region: string, accountId: string, name: string): string {
  return `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;
}

/** The trail of `accountId`. */
export function accountTrail(accountId: string, settings: Pick<TrailSettings, 'homeRegion' | 'logFileValidation'>): AccountTrail {
  return { name: TRAIL_NAME, arn: trailArn(settings.homeRegion, accountId, TRAIL_NAME), homeRegion: settings.homeRegion, logFileValidation: settings.logFileValidation };
}

/** A trail name or ARN as a caller wrote it, checked for form. */
export type TrailReference = { kind: 'name'; name: string } | { kind: 'arn'; region: string; accountId: string; name: string; arn: string };

const TRAIL_ARN = /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.*)$/;

/** The rule of AWS's trail names that `name` breaks, or undefined when it is a valid name. */
export function trailNameProblem(name: string): string | undefined {
  if (name.length < 3) return `Trail name too short. Minimum allowed length: 3 characters. Specified name length: ${name.length} characters.`;
  if (name.length > 128) return `Trail name too long. Maximum allowed length: 128 characters. Specified name length: ${name.length} characters.`;
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return 'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).';
  if (!/^[A-Za-z0-9]/.test(name)) return 'Trail name must start with a letter or number.';
  if (!/[A-Za-z0-9]$/.test(name)) return 'Trail name must end with a letter or number.';
  if (/[._-]{2}/.test(name)) return 'Trail name cannot contain consecutive special characters (periods, hyphens or underscores).';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'Trail name cannot be formatted as an IP address.';
  return undefined;
}

/** Reads a trail name or ARN; a malformed one is `InvalidTrailNameException`. */
export function parseTrailReference(ref: string): TrailReference {
  if (ref.startsWith('arn:')) {
    const m = TRAIL_ARN.exec(ref);
    if (!m) throw new InvalidTrailNameError(`${ref} is not a valid trail ARN. A trail ARN has the form arn:aws:cloudtrail:us-east-2:123456789012:trail/MyTrail.`);
    const problem = trailNameProblem(m[3]!);
    if (problem) throw new InvalidTrailNameError(problem);
    return { kind: 'arn', region: m[1]!, accountId: m[2]!, name: m[3]!, arn: ref };
  }
  const problem = trailNameProblem(ref);
  if (problem) throw new InvalidTrailNameError(problem);
  return { kind: 'name', name: ref };
}

/** Who asks, and from where: a name names a trail of the request's region only, as on AWS. */
export interface TrailCaller {
  accountId: string;
  /** The request's region (its signing scope). */
  region: string;
}

/**
 * The ARN a reference designates (a name is read in the request's region), for authorization and
 * for the not-found message. An ARN of another account is `CloudTrailARNInvalidException`, as AWS
 * answers a member account that addresses the management account's trail.
 */
export function referencedTrailArn(ref: TrailReference, caller: TrailCaller): string {
  if (ref.kind === 'name') return trailArn(caller.region, caller.accountId, ref.name);
  if (ref.accountId !== caller.accountId) {
    throw new CloudTrailArnInvalidError(`AccountID in ARN is wrong, you can only access resources with AccountID ${caller.accountId}.`);
  }
  return ref.arn;
}

/**
 * The caller's trail when `ref` names it, else `TrailNotFoundException`. By name it is found only
 * in its home region (elsewhere AWS wants the ARN of the multi-Region trail's shadow); by ARN from
 * any region.
 */
export function findAccountTrail(ref: TrailReference, caller: TrailCaller, settings: Pick<TrailSettings, 'homeRegion' | 'logFileValidation'>): AccountTrail {
  const arn = referencedTrailArn(ref, caller);
  const trail = accountTrail(caller.accountId, settings);
  if (arn !== trail.arn) throw new TrailNotFoundError(`Unknown trail: ${arn} for the user: ${caller.accountId}`);
  return trail;
}

/** Whether `ref` names the caller's trail, for listings that skip what they do not find. */
export function namesAccountTrail(ref: TrailReference, caller: TrailCaller, settings: Pick<TrailSettings, 'homeRegion'>): boolean {
  if (ref.kind === 'name') return caller.region === settings.homeRegion && ref.name === TRAIL_NAME;
  return ref.accountId === caller.accountId && ref.arn === trailArn(settings.homeRegion, caller.accountId, TRAIL_NAME);
}
