import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../store/testing.js';
import { getAccountSummary } from './account.js';
import {
  createVirtualMfaDevice,
  deactivateMfaDevice,
  deleteVirtualMfaDevice,
  enableMfaDevice,
  enableRootMfaDevice,
  listMfaDevices,
  listMfaDeviceTags,
  listVirtualMfaDevices,
  resyncMfaDevice,
  tagMfaDevice,
  untagMfaDevice,
  verifyMfaCode,
} from './mfa-devices.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { codeAt, STEP_SECONDS, timeStep } from './totp.js';
import { createUser, deleteUser } from './users.js';

const T0 = new Date('2026-05-06T07:08:00.000Z');
const after = (steps: number) => new Date(T0.getTime() + steps * STEP_SECONDS * 1000);
const INVALID = { code: 'InvalidAuthenticationCode', message: 'Authentication code for device is not valid.' };

describe.each(testDialects())('virtual MFA devices (%s)', (dialect) => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture(dialect);
  }, 60_000);
  afterAll(() => f?.dispose());

  /** Two consecutive codes of the steps just before `now`'s (as a user reads them from the app). */
  const pair = (seed: string, now: Date) => {
    const s = timeStep(now);
    return { authenticationCode1: codeAt(seed, s - 1), authenticationCode2: codeAt(seed, s) };
  };

  it('creates a device whose seed and QR code are answered once, sealed at rest, names unique', async () => {
    const d = await createVirtualMfaDevice(f.deps, { name: 'phone', path: '/team/', tags: [{ key: 'k', value: 'v' }] }, f.root(T0));
    expect(d.serialNumber).toBe(`arn:aws:iam::${ACCOUNT_ID}:mfa/team/phone`);
    expect(d.base32StringSeed).toMatch(/^[A-Z2-7]{64}$/);
    expect([...d.qrCodePng.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(d.tags).toEqual([{ key: 'k', value: 'v' }]);
    expect(await f.t.rawDatabaseContains(d.base32StringSeed)).toBe(false);
    const listed = await listVirtualMfaDevices(f.deps, {}, f.root(T0));
    // Listed without its tags, as AWS's ListVirtualMFADevices.
    expect(listed.items).toEqual([{ serialNumber: d.serialNumber }]);
    expect(JSON.stringify(listed)).not.toContain(d.base32StringSeed);
    expect(await failure(() => createVirtualMfaDevice(f.deps, { name: 'PHONE' }, f.root(T0)))).toEqual({
      code: 'EntityAlreadyExists',
      message: 'MFADevice entity at the same path and name already exists.',
    });
    await deleteVirtualMfaDevice(f.deps, { serialNumber: d.serialNumber }, f.root(T0));
  });

  it('enables with two consecutive codes, refuses wrong or replayed codes, lists, deactivates and deletes', async () => {
    const { user } = await createUser(f.deps, { userName: 'mia' }, f.root(T0));
    const d = await createVirtualMfaDevice(f.deps, { name: 'mia' }, f.root(T0));
    const serialNumber = d.serialNumber;
    const seed = d.base32StringSeed;
    const s = timeStep(T0);

    // Codes in the wrong order, not consecutive, or not the device's are refused.
    expect(await failure(() => enableMfaDevice(f.deps, { userName: 'mia', serialNumber, authenticationCode1: codeAt(seed, s), authenticationCode2: codeAt(seed, s - 1) }, f.root(T0)))).toEqual(INVALID);
    expect(await failure(() => enableMfaDevice(f.deps, { userName: 'mia', serialNumber, authenticationCode1: codeAt(seed, s - 2), authenticationCode2: codeAt(seed, s) }, f.root(T0)))).toEqual(INVALID);
    expect(await failure(() => enableMfaDevice(f.deps, { userName: 'mia', serialNumber, authenticationCode1: '000000', authenticationCode2: '000001' }, f.root(T0)))).toEqual(INVALID);
    expect(await failure(() => enableMfaDevice(f.deps, { userName: 'mia', serialNumber: `${serialNumber}-x`, ...pair(seed, T0) }, f.root(T0)))).toMatchObject({ code: 'NoSuchEntity' });

    await enableMfaDevice(f.deps, { userName: 'mia', serialNumber, ...pair(seed, T0) }, f.root(T0));
    expect(await failure(() => enableMfaDevice(f.deps, { userName: 'mia', serialNumber, ...pair(seed, T0) }, f.root(T0)))).toEqual({ code: 'EntityAlreadyExists', message: 'MFA Device is already in use.' });
    expect((await listMfaDevices(f.deps, { userName: 'mia' }, f.root(T0))).items).toEqual([{ userName: 'mia', serialNumber, enableDate: T0 }]);
    // The calling user's own devices, without a name.
    expect((await listMfaDevices(f.deps, {}, f.as(user, T0))).items).toEqual([{ userName: 'mia', serialNumber, enableDate: T0 }]);
    expect((await listVirtualMfaDevices(f.deps, { assignmentStatus: 'Assigned' }, f.root(T0))).items).toEqual([{ serialNumber, user: expect.objectContaining({ name: 'mia', id: user.id }), enableDate: T0 }]);
    expect((await listVirtualMfaDevices(f.deps, { assignmentStatus: 'Unassigned' }, f.root(T0))).items).toEqual([]);

    // The enrolment codes are used up; the next step's code verifies once, then is a replay.
    const verify = (code: string, now: Date) => verifyMfaCode(f.deps, { accountId: ACCOUNT_ID, serialNumber, code, now });
    expect(await verify(codeAt(seed, s), T0)).toEqual({ ok: false, reason: 'replayed' });
    expect(await verify(codeAt(seed, s + 1), after(1))).toEqual({ ok: true, serialNumber, owner: { kind: 'user', userId: user.id }, step: s + 1 });
    expect(await verify(codeAt(seed, s + 1), after(1))).toEqual({ ok: false, reason: 'replayed' });
    expect(await verify(codeAt(seed, s + 5), after(2))).toEqual({ ok: false, reason: 'wrong-code' });
    expect(await verify(codeAt(seed, s + 2), after(2))).toMatchObject({ ok: true });
    expect(await verifyMfaCode(f.deps, { accountId: '210987654321', serialNumber, code: codeAt(seed, s + 3), now: after(3) })).toEqual({ ok: false, reason: 'no-such-device' });

    // Resync accepts a pair far from now (a drifted clock) and consumes it.
    const drifted = after(12);
    const resync = { userName: 'mia', serialNumber, authenticationCode1: codeAt(seed, s + 10), authenticationCode2: codeAt(seed, s + 11) };
    await resyncMfaDevice(f.deps, resync, f.root(drifted));
    expect(await failure(() => resyncMfaDevice(f.deps, resync, f.root(drifted)))).toEqual(INVALID);

    // A user with a device cannot be deleted; an enabled device cannot be deleted.
    expect(await failure(() => deleteUser(f.deps, { userName: 'mia' }, f.root(T0)))).toEqual({ code: 'DeleteConflict', message: 'Cannot delete entity, must delete MFA device first.' });
    expect(await failure(() => deleteVirtualMfaDevice(f.deps, { serialNumber }, f.root(T0)))).toMatchObject({ code: 'DeleteConflict' });

    await deactivateMfaDevice(f.deps, { userName: 'mia', serialNumber }, f.root(T0));
    expect(await failure(() => deactivateMfaDevice(f.deps, { userName: 'mia', serialNumber }, f.root(T0)))).toMatchObject({ code: 'NoSuchEntity' });
    expect(await verify(codeAt(seed, s + 13), after(13))).toEqual({ ok: false, reason: 'not-enabled' });
    await deleteUser(f.deps, { userName: 'mia' }, f.root(T0));
    await deleteVirtualMfaDevice(f.deps, { serialNumber }, f.root(T0));
    expect(await failure(() => deleteVirtualMfaDevice(f.deps, { serialNumber }, f.root(T0)))).toEqual({
      code: 'NoSuchEntity',
      message: `VirtualMFADevice with serial number ${serialNumber} doesn't exist.`,
    });
  });

  it('remembers the drift a resync measured: the device codes verify where its clock is, and ours once it is set right', async () => {
    const { user } = await createUser(f.deps, { userName: 'leo' }, f.root(T0));
    const { serialNumber, base32StringSeed: seed } = await createVirtualMfaDevice(f.deps, { name: 'leo' }, f.root(T0));
    await enableMfaDevice(f.deps, { userName: 'leo', serialNumber, ...pair(seed, T0) }, f.root(T0));
    const verify = (code: string, now: Date) => verifyMfaCode(f.deps, { accountId: ACCOUNT_ID, serialNumber, code, now });
    const ok = (step: number) => ({ ok: true, serialNumber, owner: { kind: 'user', userId: user.id }, step });

    // An hour later the phone's clock is 8 steps (4 minutes) behind: its codes are outside the usual window.
    const s = timeStep(T0) + 120;
    const at = (n: number) => after(120 + n);
    expect(await verify(codeAt(seed, s - 7), at(1))).toEqual({ ok: false, reason: 'wrong-code' });
    await resyncMfaDevice(f.deps, { userName: 'leo', serialNumber, authenticationCode1: codeAt(seed, s - 8), authenticationCode2: codeAt(seed, s - 7) }, f.root(at(1)));
    expect((await f.deps.store.getMfaDevice(serialNumber))?.driftSteps).toBe(-8);
    // Its codes now verify where its clock is, once each.
    expect(await verify(codeAt(seed, s - 6), at(2))).toEqual(ok(s - 6));
    expect(await verify(codeAt(seed, s - 6), at(2))).toEqual({ ok: false, reason: 'replayed' });
    expect(await verify(codeAt(seed, s - 4), at(3))).toEqual(ok(s - 4));
    // Its owner sets the phone's clock right: codes of our own time still verify.
    expect(await verify(codeAt(seed, s + 4), at(4))).toEqual(ok(s + 4));

    // Enabling the device again starts from no drift.
    await deactivateMfaDevice(f.deps, { userName: 'leo', serialNumber }, f.root(at(5)));
    await enableMfaDevice(f.deps, { userName: 'leo', serialNumber, ...pair(seed, at(20)) }, f.root(at(20)));
    expect(await f.deps.store.getMfaDevice(serialNumber)).not.toHaveProperty('driftSteps');
    expect(await verify(codeAt(seed, s + 13), at(21))).toEqual({ ok: false, reason: 'wrong-code' });

    await deactivateMfaDevice(f.deps, { userName: 'leo', serialNumber }, f.root(at(22)));
    await deleteVirtualMfaDevice(f.deps, { serialNumber }, f.root(at(22)));
    await deleteUser(f.deps, { userName: 'leo' }, f.root(at(22)));
  });

  it('allows 8 devices per user, counts devices in the summary, and gives the root one', async () => {
    await createUser(f.deps, { userName: 'many' }, f.root(T0));
    const devices = [];
    for (let i = 0; i < 9; i++) devices.push(await createVirtualMfaDevice(f.deps, { name: `many-${i}` }, f.root(T0)));
    for (const d of devices.slice(0, 8)) await enableMfaDevice(f.deps, { userName: 'many', serialNumber: d.serialNumber, ...pair(d.base32StringSeed, T0) }, f.root(T0));
    const ninth = devices[8]!;
    expect(await failure(() => enableMfaDevice(f.deps, { userName: 'many', serialNumber: ninth.serialNumber, ...pair(ninth.base32StringSeed, T0) }, f.root(T0)))).toEqual({
      code: 'LimitExceeded',
      message: 'Cannot exceed quota for MFADevicesPerUser: 8',
    });
    let summary = await getAccountSummary(f.deps, {}, f.root(T0));
    expect(summary).toMatchObject({ MFADevices: 9, MFADevicesInUse: 8, AccountMFAEnabled: 0 });

    await enableRootMfaDevice(f.deps, { serialNumber: ninth.serialNumber, ...pair(ninth.base32StringSeed, T0) }, f.root(T0));
    summary = await getAccountSummary(f.deps, {}, f.root(T0));
    expect(summary).toMatchObject({ MFADevices: 9, MFADevicesInUse: 9, AccountMFAEnabled: 1 });
    expect((await listMfaDevices(f.deps, {}, f.root(T0))).items).toEqual([{ serialNumber: ninth.serialNumber, enableDate: T0 }]);
    const rootListed = (await listVirtualMfaDevices(f.deps, { assignmentStatus: 'Assigned' }, f.root(T0))).items.find((d) => d.serialNumber === ninth.serialNumber);
    expect(rootListed?.user).toMatchObject({ id: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:root` });
  });

  it('tags devices like other resources', async () => {
    const d = await createVirtualMfaDevice(f.deps, { name: 'tagged' }, f.root(T0));
    await tagMfaDevice(f.deps, { serialNumber: d.serialNumber, tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] }, f.root(T0));
    await untagMfaDevice(f.deps, { serialNumber: d.serialNumber, tagKeys: ['a', 'zzz'] }, f.root(T0));
    expect((await listMfaDeviceTags(f.deps, { serialNumber: d.serialNumber }, f.root(T0))).items).toEqual([{ key: 'b', value: '2' }]);
    expect(await failure(() => tagMfaDevice(f.deps, { serialNumber: d.serialNumber, tags: [{ key: 'aws:x', value: '1' }] }, f.root(T0)))).toMatchObject({ code: 'InvalidInput' });
    expect(await failure(() => listMfaDeviceTags(f.deps, { serialNumber: `${d.serialNumber}-nope` }, f.root(T0)))).toMatchObject({ code: 'NoSuchEntity' });
  });
});
