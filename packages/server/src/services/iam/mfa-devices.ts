/**
 * Virtual MFA devices (TOTP, RFC 6238): CreateVirtualMFADevice, EnableMFADevice,
 * DeactivateMFADevice, DeleteVirtualMFADevice, ResyncMFADevice, ListMFADevices,
 * ListVirtualMFADevices and the device tags, plus {@link verifyMfaCode} for the services that take
 * an MFA code (STS's `SerialNumber` + `TokenCode`).
 *
 * The seed is handed out once, by CreateVirtualMFADevice; the store keeps it sealed. A code is
 * accepted once: the last accepted time step of each device is stored, and a code of that step or
 * an earlier one is refused, so a code seen on the wire cannot be replayed within its window.
 *
 * @module
 */
import QRCode from 'qrcode';
import type { RequestContext } from '../../domain/context.js';
import { DeleteConflictError, EntityAlreadyExistsError, InvalidAuthenticationCodeError, NoSuchEntityError } from '../../domain/errors.js';
import type { MfaDevice, NewVirtualMfaDevice, Page, Tag, User, VirtualMfaDevice } from '../../domain/iam-entities.js';
import { StoreConflictError, StoreLimitError } from '../../store/store-errors.js';
import type { MfaAssignmentStatus, MfaDeviceOwner, MfaDeviceRow, Store } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { listEntityTags, putEntityTags, tagEntity, untagEntity, type TaggableKind } from './entity-tags.js';
import { toPage, toUser } from './entity-views.js';
import { checkTags, credentialSubject, pageRequest, quotaExceeded, requireUser, userOrCallingUser, withMarker, type PagingInput } from './identity-common.js';
import { base32, findConsecutiveSteps, findStep, otpauthUri, timeStep } from './totp.js';

/** Seed bytes: 40, so the base32 seed has AWS's 64 characters. */
const SEED_BYTES = 40;
/** Steps either side of now a single code may come from (RFC 6238's recommended one step of drift). */
const CODE_WINDOW = 1;
/**
 * How far back the first of two enrolment codes may be: the user reads two consecutive codes from
 * the app and types them, which can take a few steps.
 */
const ENABLE_WINDOW = 4;
/**
 * ResyncMFADevice exists for clocks that drifted: it looks this many steps either side of now, and
 * remembers how far from now it found the codes, so later codes are looked for there too.
 */
const RESYNC_WINDOW = 20;

/** The serial number (ARN) of a virtual device: `arn:aws:iam::ACCOUNT:mfa/PATH/NAME`. */
export function mfaSerialNumber(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:mfa${path}${name}`;
}

/** CreateVirtualMFADevice: a new unassigned device; the only answer that carries its seed and QR code. */
export async function createVirtualMfaDevice(
  deps: Pick<ServiceDeps, 'store' | 'ids'>,
  input: { name: string; path?: string | undefined; tags?: Tag[] | undefined },
  ctx: RequestContext,
): Promise<NewVirtualMfaDevice> {
  const accountId = ctx.caller.accountId;
  const path = input.path ?? '/';
  const tags = input.tags ?? [];
  checkTags(tags);
  const serialNumber = mfaSerialNumber(accountId, path, input.name);
  const seed = base32(deps.ids.randomBytes(SEED_BYTES));
  const label = (await deps.store.listAccountAliases(accountId))[0] ?? accountId;
  const qrCodePng = new Uint8Array(await QRCode.toBuffer(otpauthUri(input.name, label, seed), { type: 'png' }));
  await deps.store.transaction(async (tx) => {
    try {
      await tx.createMfaDevice({ accountId, serialNumber, name: input.name, path, seed, createDate: ctx.now });
    } catch (err) {
      if (err instanceof StoreConflictError) throw new EntityAlreadyExistsError('MFADevice entity at the same path and name already exists.');
      throw err;
    }
    if (tags.length > 0) await putEntityTags(tx, MFA_TAGS, serialNumber, tags);
  });
  return { serialNumber, base32StringSeed: seed, qrCodePng, ...(tags.length > 0 ? { tags } : {}) };
}

/**
 * EnableMFADevice: assigns an unassigned device to the user, given two consecutive codes from it.
 * The second code's step is consumed, so neither code works again. At most 8 devices per user.
 */
export async function enableMfaDevice(
  deps: ServiceDeps,
  input: { userName: string; serialNumber: string; authenticationCode1: string; authenticationCode2: string },
  ctx: RequestContext,
): Promise<void> {
  const user = await requireUser(deps.store, ctx.caller.accountId, input.userName);
  await enableFor(deps.store, { kind: 'user', userId: user.id }, input, ctx, deps.quotas.mfaDevicesPerUser);
}

/**
 * Enables a virtual device for the account's root user. AWS assigns the root's device in the
 * console, not through EnableMFADevice (whose `UserName` names an IAM user); this is that step for
 * Castellan's operator tools.
 */
export async function enableRootMfaDevice(
  deps: Pick<ServiceDeps, 'store' | 'quotas'>,
  input: { serialNumber: string; authenticationCode1: string; authenticationCode2: string },
  ctx: RequestContext,
): Promise<void> {
  await enableFor(deps.store, { kind: 'root' }, input, ctx, deps.quotas.mfaDevicesPerUser);
}

async function enableFor(
  store: Store,
  owner: MfaDeviceOwner,
  input: { serialNumber: string; authenticationCode1: string; authenticationCode2: string },
  ctx: RequestContext,
  maxPerOwner: number,
): Promise<void> {
  const device = await store.getMfaDeviceWithSeed(input.serialNumber);
  if (!device || device.accountId !== ctx.caller.accountId) throw noSuchDevice(input.serialNumber);
  if (device.owner) throw new EntityAlreadyExistsError('MFA Device is already in use.');
  const now = timeStep(ctx.now);
  const first = findConsecutiveSteps(device.seed, input.authenticationCode1, input.authenticationCode2, now - ENABLE_WINDOW, now + CODE_WINDOW - 1);
  if (first === undefined || (device.lastUsedStep !== undefined && first + 1 <= device.lastUsedStep)) throw invalidCode();
  // Security keys count towards the same quota of MFA devices per user.
  const keys = owner.kind === 'user' ? (await store.listSecurityKeys(owner.userId)).length : 0;
  if (keys >= maxPerOwner) throw quotaExceeded('MFADevicesPerUser', maxPerOwner);
  try {
    const enabled = await store.enableMfaDevice(input.serialNumber, { owner, enableDate: ctx.now, usedStep: first + 1, maxPerOwner: maxPerOwner - keys });
    if (!enabled) throw new EntityAlreadyExistsError('MFA Device is already in use.');
  } catch (err) {
    if (err instanceof StoreLimitError) throw quotaExceeded('MFADevicesPerUser', maxPerOwner);
    throw err;
  }
}

/**
 * DeactivateMFADevice: unassigns the virtual device of the user (or of the calling user) (it stays,
 * unassigned, and can be enabled again); a security key (`…:u2f/…` serial) is removed, as AWS does.
 */
export async function deactivateMfaDevice(deps: ServiceDeps, input: { userName?: string | undefined; serialNumber: string }, ctx: RequestContext): Promise<void> {
  const user = await userOrCallingUser(deps.store, ctx, input.userName);
  if (isSecurityKeySerial(input.serialNumber)) {
    const key = await deps.store.getSecurityKey(input.serialNumber);
    if (!key || key.accountId !== ctx.caller.accountId || key.userId !== user.id || !(await deps.store.deleteSecurityKey(input.serialNumber))) {
      throw notAssigned(input.serialNumber, user.name);
    }
    return;
  }
  const device = await deps.store.getMfaDevice(input.serialNumber);
  if (!device || device.accountId !== ctx.caller.accountId || device.owner?.kind !== 'user' || device.owner.userId !== user.id) {
    throw notAssigned(input.serialNumber, user.name);
  }
  if (!(await deps.store.deactivateMfaDevice(input.serialNumber))) throw notAssigned(input.serialNumber, user.name);
}

/** DeleteVirtualMFADevice: an enabled device must be deactivated first (DeleteConflict). */
export async function deleteVirtualMfaDevice(deps: ServiceDeps, input: { serialNumber: string }, ctx: RequestContext): Promise<void> {
  const device = await requireDevice(deps.store, ctx.caller.accountId, input.serialNumber);
  if (device.owner) throw new DeleteConflictError('Cannot delete entity, must deactivate MFA device first.');
  if (!(await deps.store.deleteMfaDevice(input.serialNumber))) throw noSuchDevice(input.serialNumber);
}

/**
 * ResyncMFADevice: re-synchronizes a device whose clock drifted, given two consecutive codes
 * from it (looked for well beyond the usual window); the later code's step is consumed, and its
 * distance from now is recorded as the device's drift, which {@link verifyMfaCode} then allows for.
 */
export async function resyncMfaDevice(
  deps: ServiceDeps,
  input: { userName: string; serialNumber: string; authenticationCode1: string; authenticationCode2: string },
  ctx: RequestContext,
): Promise<void> {
  const user = await requireUser(deps.store, ctx.caller.accountId, input.userName);
  const device = await deps.store.getMfaDeviceWithSeed(input.serialNumber);
  if (!device || device.accountId !== ctx.caller.accountId || device.owner?.kind !== 'user' || device.owner.userId !== user.id) {
    throw notAssigned(input.serialNumber, user.name);
  }
  const now = timeStep(ctx.now);
  const first = findConsecutiveSteps(device.seed, input.authenticationCode1, input.authenticationCode2, now - RESYNC_WINDOW, now + RESYNC_WINDOW);
  if (first === undefined || !(await deps.store.consumeMfaStep(input.serialNumber, first + 1, ctx.now, first + 1 - now))) throw invalidCode();
}

/** ListMFADevices: the devices enabled for the user (or, without a name, for the calling user or root). */
export async function listMfaDevices(deps: ServiceDeps, input: { userName?: string | undefined } & PagingInput, ctx: RequestContext): Promise<Page<MfaDevice>> {
  const subject = await credentialSubject(deps.store, ctx, input.userName);
  const owner: MfaDeviceOwner = subject.kind === 'user' ? { kind: 'user', userId: subject.user.id } : { kind: 'root' };
  const userName = subject.kind === 'user' ? subject.user.name : undefined;
  const page = await withMarker(() => deps.store.listMfaDevices({ accountId: ctx.caller.accountId, owner, ...pageRequest(input) }));
  const listed = toPage(page, (d) => ({ ...(userName !== undefined ? { userName } : {}), serialNumber: d.serialNumber, enableDate: d.enableDate ?? d.createDate }));
  // Security keys (`…:u2f/…`) sort after virtual devices (`…:mfa/…`): they end the last page.
  if (subject.kind !== 'user' || listed.isTruncated) return listed;
  const keys = await deps.store.listSecurityKeys(subject.user.id);
  return { ...listed, items: [...listed.items, ...keys.map((k) => ({ userName: subject.user.name, serialNumber: k.serialNumber, enableDate: k.enableDate }))] };
}

/** Whether a serial number names a security key (`arn:aws:iam::ACCOUNT:u2f/…`) rather than a virtual device. */
export function isSecurityKeySerial(serialNumber: string): boolean {
  return /^arn:aws:iam::\d{12}:u2f\//.test(serialNumber);
}

/** ListVirtualMFADevices: the account's virtual devices by assignment, with the user and date of assigned ones. */
export async function listVirtualMfaDevices(
  deps: ServiceDeps,
  input: { assignmentStatus?: MfaAssignmentStatus | undefined } & PagingInput,
  ctx: RequestContext,
): Promise<Page<VirtualMfaDevice>> {
  const { store } = deps;
  const page = await withMarker(() => store.listMfaDevices({ accountId: ctx.caller.accountId, assignment: input.assignmentStatus ?? 'Any', ...pageRequest(input) }));
  const items: VirtualMfaDevice[] = [];
  for (const d of page.items) items.push(await virtualView(store, d));
  return { items, isTruncated: page.isTruncated, ...(page.marker !== undefined ? { marker: page.marker } : {}) };
}

/** The root user as ListVirtualMFADevices shows the owner of its device: its ARN, the account id as its id. */
export function rootUserView(accountId: string, createDate: Date): User {
  return { id: accountId, name: '', path: '/', arn: `arn:aws:iam::${accountId}:root`, createDate };
}

/** A device as ListVirtualMFADevices shows it: without its tags, which AWS's listing leaves out (ListMFADeviceTags has them). */
async function virtualView(store: Store, d: MfaDeviceRow): Promise<VirtualMfaDevice> {
  let user: User | undefined;
  if (d.owner?.kind === 'user') {
    const row = await store.getUserById(d.owner.userId);
    if (row) user = toUser(row);
  } else if (d.owner?.kind === 'root') {
    const account = await store.getAccount(d.accountId);
    user = rootUserView(d.accountId, account?.createDate ?? d.createDate);
  }
  return {
    serialNumber: d.serialNumber,
    ...(user ? { user } : {}),
    ...(d.enableDate ? { enableDate: d.enableDate } : {}),
  };
}

const MFA_TAGS: TaggableKind = {
  kind: 'mfa',
  quotaName: 'TagsPerMFADevice',
  checkTags,
  find: async (store, accountId, serialNumber) => ({ id: (await requireDevice(store, accountId, serialNumber)).serialNumber }),
};

/** TagMFADevice: adds or overwrites tags, at most 50 in all. */
export async function tagMfaDevice(deps: ServiceDeps, input: { serialNumber: string; tags: Tag[] }, ctx: RequestContext): Promise<void> {
  await tagEntity(deps, MFA_TAGS, input.serialNumber, input.tags, ctx);
}

/** UntagMFADevice: removes the keys present; absent keys are ignored. */
export async function untagMfaDevice(deps: ServiceDeps, input: { serialNumber: string; tagKeys: string[] }, ctx: RequestContext): Promise<void> {
  await untagEntity(deps, MFA_TAGS, input.serialNumber, input.tagKeys, ctx);
}

/** ListMFADeviceTags, in the order the tags were added. */
export async function listMfaDeviceTags(deps: ServiceDeps, input: { serialNumber: string } & PagingInput, ctx: RequestContext): Promise<Page<Tag>> {
  return listEntityTags(deps, MFA_TAGS, input.serialNumber, input, ctx);
}

/** What {@link verifyMfaCode} answers. */
export type MfaVerification =
  | { ok: true; serialNumber: string; owner: MfaDeviceOwner; step: number }
  | { ok: false; reason: 'no-such-device' | 'not-enabled' | 'wrong-code' | 'replayed' };

/**
 * Checks an MFA code for the services that take one (STS's `SerialNumber` + `TokenCode`, the
 * console sign-in): the device must exist in `accountId` and be enabled, and `code` must be its
 * code for a step within one step of `now`, or of `now` plus the drift ResyncMFADevice measured,
 * that is later than the last one accepted. On success
 * that step is consumed (atomically, so of two concurrent uses of one code exactly one succeeds).
 * The caller checks that `owner` is the principal asking, and answers failures in its own words
 * (AWS's STS: AccessDenied, "MultiFactorAuthentication failed, unable to validate MFA code…").
 * Never throws for a bad device or code.
 */
export async function verifyMfaCode(
  deps: Pick<ServiceDeps, 'store'>,
  input: { accountId: string; serialNumber: string; code: string; now: Date },
): Promise<MfaVerification> {
  const device = await deps.store.getMfaDeviceWithSeed(input.serialNumber);
  if (!device || device.accountId !== input.accountId) return { ok: false, reason: 'no-such-device' };
  if (!device.owner) return { ok: false, reason: 'not-enabled' };
  const now = timeStep(input.now);
  const around = (centre: number) => findStep(device.seed, input.code, centre - CODE_WINDOW, centre + CODE_WINDOW);
  // Our clock's window, and the device's own if a resync found it elsewhere; the later step wins.
  const found = [around(now), ...(device.driftSteps ? [around(now + device.driftSteps)] : [])].filter((s) => s !== undefined);
  const step = found.length > 0 ? Math.max(...found) : undefined;
  if (step === undefined) return { ok: false, reason: 'wrong-code' };
  if (!(await deps.store.consumeMfaStep(device.serialNumber, step, input.now))) return { ok: false, reason: 'replayed' };
  return { ok: true, serialNumber: device.serialNumber, owner: device.owner, step };
}

/** Devices of the account and how many are enabled, and whether the root user has one, for GetAccountSummary. */
export async function mfaUsage(store: Store, accountId: string): Promise<{ devices: number; inUse: number; rootEnabled: boolean }> {
  const [counts, keys] = await Promise.all([store.countMfaDevices(accountId), store.countSecurityKeys(accountId)]);
  // A security key exists only while enabled: it counts as a device and as one in use.
  return { devices: counts.devices + keys, inUse: counts.inUse + keys, rootEnabled: counts.root > 0 };
}

async function requireDevice(store: Store, accountId: string, serialNumber: string): Promise<MfaDeviceRow> {
  const device = await store.getMfaDevice(serialNumber);
  if (!device || device.accountId !== accountId) throw noSuchDevice(serialNumber);
  return device;
}

function noSuchDevice(serialNumber: string): NoSuchEntityError {
  return new NoSuchEntityError(`VirtualMFADevice with serial number ${serialNumber} doesn't exist.`);
}

function notAssigned(serialNumber: string, userName: string): NoSuchEntityError {
  return new NoSuchEntityError(`MFA Device with serial number ${serialNumber} is not enabled for user ${userName}.`);
}

function invalidCode(): InvalidAuthenticationCodeError {
  return new InvalidAuthenticationCodeError('Authentication code for device is not valid.');
}
