/**
 * The web console's credential pages in Chromium: a forced password change at sign-in, an access
 * key whose secret is shown once and copied, virtual MFA enrolment from the QR code's secret with
 * two TOTP codes computed here, and a security key (Chromium's virtual WebAuthn authenticator over
 * the DevTools protocol) registered and then used to sign in.
 */
import { AttachUserPolicyCommand, CreateLoginProfileCommand, CreateUserCommand, DeactivateMFADeviceCommand, DeleteVirtualMFADeviceCommand, EnableMFADeviceCommand, GetAccessKeyLastUsedCommand, GetLoginProfileCommand, GetUserCommand, ListAccessKeysCommand, ListMFADevicesCommand, ListVirtualMFADevicesCommand, UpdateAccountPasswordPolicyCommand } from '@aws-sdk/client-iam';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { codeAt, timeStep } from '../../packages/server/src/services/iam/totp.js';
import { iamClient } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { assertConsoleBuilt, CONSOLE_DIST, launchChromium, screenshot, seriousAxeViolations, signIn } from './helpers/console-browser.js';

const FIRST_PASSWORD = 'First-Passw0rd-123!';
const NEW_PASSWORD = 'Second-Passw0rd-456!';

describe('web console credentials in Chromium', () => {
  let t: TestCastellan;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await assertConsoleBuilt();
    t = await startTestCastellan({}, { consoleDir: CONSOLE_DIST });
    // WebAuthn's RP id must be a domain: the browser uses localhost (mapped to 127.0.0.1).
    base = t.url.replace('127.0.0.1', 'localhost');
    const iam = t.iam();
    await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, RequireSymbols: true }));
    for (const name of ['newbie', 'keyholder']) {
      await iam.send(new CreateUserCommand({ UserName: name }));
      await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
      await iam.send(new CreateLoginProfileCommand({ UserName: name, Password: FIRST_PASSWORD, PasswordResetRequired: name === 'newbie' }));
    }
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('makes a user whose password must be reset choose a new one, checked against the password policy', async () => {
    await page.goto(`${base}/console/`);
    await signIn(page, { account: E2E_ACCOUNT_ID, userName: 'newbie', password: FIRST_PASSWORD });
    await page.getByRole('heading', { name: 'Change your password' }).waitFor();
    // The form's own words (not the API's field names), and the keyboard on the field it asks for.
    await page.getByRole('status').filter({ hasText: 'Your password has expired or must be reset. Choose a new password below.' }).waitFor();
    expect(await page.getByRole('status').innerText()).not.toContain('newPassword');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('name'))).toBe('newPassword');
    await page.getByLabel('Current password').fill(FIRST_PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Confirm new password').fill('short');
    await page.getByRole('button', { name: 'Change password and sign in' }).click();
    await page.getByRole('alert').filter({ hasText: /Password should have a minimum length of 12/ }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'forced-password-change');
    await page.getByLabel('Current password').fill(FIRST_PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password and sign in' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  });

  it('creates an access key, shows its secret once with a copy button, and the key works', async () => {
    await page.goto(`${base}/console/#/users/newbie`);
    await page.getByRole('button', { name: 'Create access key' }).click();
    const id = (await page.getByTestId('new-key-id').textContent())!;
    const secret = (await page.getByTestId('new-key-secret').textContent())!;
    expect(id).toMatch(/^AKIA/);
    await page.getByRole('button', { name: 'Copy secret access key' }).click();
    await page.getByRole('button', { name: 'Copy secret access key: copied' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(secret);
    expect((await iamClient(t.url, { accessKeyId: id, secretAccessKey: secret }).send(new GetUserCommand({}))).User!.UserName).toBe('newbie');
    await page.getByRole('button', { name: 'I have saved it' }).click();
    expect(await page.getByTestId('new-key-secret').count()).toBe(0);
    // Listing shows the key, never its secret again.
    await page.getByRole('cell', { name: id, exact: true }).waitFor();
    expect(await page.content()).not.toContain(secret);
    await page.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('cell', { name: 'Inactive' }).waitFor();
  });

  it('names each access key\'s buttons by its key id, and acts on that key', async () => {
    await page.getByRole('button', { name: 'Create access key' }).click();
    await page.getByRole('button', { name: 'I have saved it' }).click();
    const keys = async () => (await t.iam().send(new ListAccessKeysCommand({ UserName: 'newbie' }))).AccessKeyMetadata!.map((k) => ({ id: k.AccessKeyId!, status: k.Status! }));
    const before = await keys();
    expect(before.map((k) => k.status).sort()).toEqual(['Active', 'Inactive']);
    for (const k of before) {
      for (const name of [`${k.status === 'Active' ? 'Deactivate' : 'Activate'} access key ${k.id}`, `Delete access key ${k.id}`]) {
        expect(await page.getByRole('button', { name, exact: true }).count()).toBe(1);
      }
    }
    const inactive = before.find((k) => k.status === 'Inactive')!;
    const active = before.find((k) => k.status === 'Active')!;
    // Each key says when it was last used (GetAccessKeyLastUsed): the new one never.
    await page.getByRole('row').filter({ hasText: active.id }).getByRole('cell', { name: 'Never', exact: true }).waitFor();
    await page.getByRole('button', { name: `Activate access key ${inactive.id}`, exact: true }).click();
    await page.getByRole('status').filter({ hasText: `${inactive.id} is now Active.` }).waitFor();
    await page.getByRole('button', { name: `Delete access key ${active.id}`, exact: true }).click();
    await page.getByRole('group', { name: `Delete access key ${active.id}?` }).getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('status').filter({ hasText: `Deleted ${active.id}.` }).waitFor();
    expect(await keys()).toEqual([{ id: inactive.id, status: 'Active' }]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The key the test above signed a GetUser with: its last use, service and region (last-used
    // data is written in batches, so the page is reloaded once the API reports it).
    await vi.waitFor(async () => {
      const used = await t.iam().send(new GetAccessKeyLastUsedCommand({ AccessKeyId: inactive.id }));
      if (!used.AccessKeyLastUsed?.LastUsedDate) throw new Error(`${inactive.id}: no last use recorded yet`);
    }, { timeout: 20_000, interval: 250 });
    await page.reload();
    await page.getByRole('row').filter({ hasText: inactive.id }).getByRole('cell', { name: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(iam, us-east-1\)$/ }).waitFor();
  });

  it('closes a confirm step on Escape, changing nothing, and gives the keyboard back to the button that opened it', async () => {
    const key = (await t.iam().send(new ListAccessKeysCommand({ UserName: 'newbie' }))).AccessKeyMetadata![0]!.AccessKeyId!;
    const activeName = () => page.evaluate(() => {
      const el = (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null; textContent: string } | null } }).document.activeElement;
      return el?.getAttribute('aria-label') ?? el?.textContent;
    });
    const cases = [
      { opener: `Delete access key ${key}`, question: `Delete access key ${key}?` },
      { opener: 'Remove console access', question: "Delete newbie's console password?" },
    ];
    for (const c of cases) {
      await page.getByRole('button', { name: c.opener, exact: true }).focus();
      await page.keyboard.press('Enter');
      const question = page.getByRole('group', { name: c.question });
      await question.waitFor();
      expect(await activeName()).toMatch(/^Yes, /);
      await page.keyboard.press('Escape');
      await question.waitFor({ state: 'detached' });
      expect(await activeName()).toBe(c.opener);
    }
    expect((await t.iam().send(new ListAccessKeysCommand({ UserName: 'newbie' }))).AccessKeyMetadata!.map((k) => k.AccessKeyId)).toEqual([key]);
    expect((await t.iam().send(new GetLoginProfileCommand({ UserName: 'newbie' }))).LoginProfile!.UserName).toBe('newbie');
  });

  it('leaves the keyboard on the section\'s heading when a confirmed deletion takes its row away', async () => {
    const key = (await t.iam().send(new ListAccessKeysCommand({ UserName: 'newbie' }))).AccessKeyMetadata![0]!.AccessKeyId!;
    await page.getByRole('button', { name: `Delete access key ${key}`, exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: `Deleted ${key}.` }).waitFor();
    await page.getByRole('cell', { name: 'No access keys.' }).waitFor();
    await expect
      .poll(() => page.evaluate(() => {
        const el = (globalThis as unknown as { document: { activeElement: { tagName: string; textContent: string } | null } }).document.activeElement;
        return `${el?.tagName} ${el?.textContent}`;
      }))
      .toBe('H3 Access keys');
  });

  it('deletes an unfinished MFA enrolment on Cancel or on leaving the page, so the name can be used again', async () => {
    const qr = page.getByRole('img', { name: 'QR code to scan with an authenticator app' });
    const unassigned = async () => (await t.iam().send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }))).VirtualMFADevices!.map((d) => d.SerialNumber);
    await page.getByLabel('Virtual MFA device name').fill('newbie-phone');
    await page.getByRole('button', { name: 'Assign virtual MFA device' }).click();
    await qr.waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('status').filter({ hasText: 'Enrolment cancelled.' }).waitFor();
    expect(await unassigned()).toEqual([]);
    await page.getByLabel('Virtual MFA device name').fill('newbie-phone');
    await page.getByRole('button', { name: 'Assign virtual MFA device' }).click();
    await qr.waitFor();
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('heading', { name: 'All users' }).waitFor();
    await expect.poll(unassigned, { timeout: 5_000 }).toEqual([]);
    await page.goto(`${base}/console/#/users/newbie`);
  });

  it('deletes a device whose CreateVirtualMFADevice answers only after the user has left the page', async () => {
    const unassigned = async () => (await t.iam().send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }))).VirtualMFADevices!.map((d) => d.SerialNumber);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let created!: () => void;
    const reached = new Promise<void>((resolve) => (created = resolve));
    // The server creates the device at once; its answer reaches the page only once released.
    await page.route(`${base}/`, async (route) => {
      if (!route.request().postData()?.includes('Action=CreateVirtualMFADevice')) return route.fallback();
      const response = await route.fetch();
      created();
      await held;
      await route.fulfill({ response });
    });
    try {
      await page.getByLabel('Virtual MFA device name').fill('newbie-late');
      await page.getByRole('button', { name: 'Assign virtual MFA device' }).click();
      await reached;
      expect(await unassigned()).toEqual([`arn:aws:iam::${E2E_ACCOUNT_ID}:mfa/newbie-late`]);
      await page.getByRole('link', { name: 'Users', exact: true }).click();
      await page.getByRole('heading', { name: 'All users' }).waitFor();
      release();
      await expect.poll(unassigned, { timeout: 5_000 }).toEqual([]);
    } finally {
      release();
      await page.unroute(`${base}/`);
    }
    await page.goto(`${base}/console/#/users/newbie`);
  });

  it('Cancel ends an enrolment whose device is gone or was enabled after all, instead of sticking on the error', async () => {
    const qr = page.getByRole('img', { name: 'QR code to scan with an authenticator app' });
    const serial = `arn:aws:iam::${E2E_ACCOUNT_ID}:mfa/newbie-side`;
    const begin = async () => {
      await page.getByLabel('Virtual MFA device name').fill('newbie-side');
      await page.getByRole('button', { name: 'Assign virtual MFA device' }).click();
      await qr.waitFor();
    };
    // Deleted behind the page's back: DeleteVirtualMFADevice answers NoSuchEntity.
    await begin();
    await t.iam().send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial }));
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('status').filter({ hasText: 'Enrolment cancelled: the device was already deleted.' }).waitFor();
    expect(await qr.count()).toBe(0);
    // Enabled after all (say, an Enable whose answer was lost): DeleteConflict, and the list shows the device.
    await begin();
    const seed = (await page.getByTestId('mfa-seed').textContent())!;
    const step = timeStep(new Date());
    await t.iam().send(new EnableMFADeviceCommand({ UserName: 'newbie', SerialNumber: serial, AuthenticationCode1: codeAt(seed, step - 1), AuthenticationCode2: codeAt(seed, step) }));
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('status').filter({ hasText: 'Not cancelled: the device is already enabled.' }).waitFor();
    expect(await qr.count()).toBe(0);
    await page.getByText(serial).first().waitFor();
    await t.iam().send(new DeactivateMFADeviceCommand({ UserName: 'newbie', SerialNumber: serial }));
    await t.iam().send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial }));
    await page.reload();
  });

  it('enrols a virtual MFA device from its QR code with two consecutive codes', async () => {
    await page.getByLabel('Virtual MFA device name').fill('newbie-phone');
    await page.getByRole('button', { name: 'Assign virtual MFA device' }).click();
    const qr = page.getByRole('img', { name: 'QR code to scan with an authenticator app' });
    await qr.waitFor();
    expect(await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'mfa-enrolment');
    const seed = (await page.getByTestId('mfa-seed').textContent())!;
    const step = timeStep(new Date());
    await page.getByLabel('First code').fill(codeAt(seed, step - 1));
    await page.getByLabel('Second code (the next one)').fill(codeAt(seed, step));
    await page.getByRole('button', { name: 'Enable MFA device' }).click();
    await page.getByRole('status').filter({ hasText: 'MFA device enabled.' }).waitFor();
    const devices = (await t.iam().send(new ListMFADevicesCommand({ UserName: 'newbie' }))).MFADevices!;
    expect(devices.map((d) => d.SerialNumber)).toEqual([`arn:aws:iam::${E2E_ACCOUNT_ID}:mfa/newbie-phone`]);
  });

  it('registers a security key for the signed-in user and signs in with it', async () => {
    // Another browser: this one's tabs share newbie's session.
    const keyContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    keyContext.setDefaultTimeout(10_000);
    const keyPage = await keyContext.newPage();
    const cdp = await keyContext.newCDPSession(keyPage);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    await keyPage.goto(`${base}/console/`);
    await signIn(keyPage, { account: E2E_ACCOUNT_ID, userName: 'keyholder', password: FIRST_PASSWORD });
    await keyPage.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await keyPage.goto(`${base}/console/#/users/keyholder`);
    await keyPage.getByLabel('Security key name').fill('yubi');
    await keyPage.getByRole('button', { name: 'Register a security key' }).click();
    await keyPage.getByRole('status').filter({ hasText: 'Security key registered.' }).waitFor();
    const devices = (await t.iam().send(new ListMFADevicesCommand({ UserName: 'keyholder' }))).MFADevices!;
    expect(devices.map((d) => d.SerialNumber)).toEqual([expect.stringMatching(new RegExp(`^arn:aws:iam::${E2E_ACCOUNT_ID}:u2f/user/keyholder/[0-9A-F]+$`))]);
    // Registration went through the pipeline as IAM's two MFA calls, recorded as the console's.
    // The options step changes nothing, so its record is batched like a read's: wait for it.
    const registrationEvents = async () => {
      const events = await t.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'keyholder' }] }));
      return events.Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as { eventName: string; userAgent: string }).filter((e) => e.eventName.endsWith('MFADevice'));
    };
    await expect.poll(async () => (await registrationEvents()).map((e) => e.eventName).sort(), { timeout: 5_000 }).toEqual(['CreateVirtualMFADevice', 'EnableMFADevice']);
    const registration = await registrationEvents();
    for (const e of registration) expect(e.userAgent).toMatch(/^castellan-console\/0\.1\.0 \(Mozilla/);
    await keyPage.getByRole('button', { name: 'Sign out' }).click();
    await signIn(keyPage, { account: E2E_ACCOUNT_ID, userName: 'keyholder', password: FIRST_PASSWORD });
    await keyPage.getByText('keyholder @ 123456789012 (MFA)').waitFor();
    await keyContext.close();
  });
});
