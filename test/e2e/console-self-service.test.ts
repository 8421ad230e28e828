/**
 * What a user does for themselves in the console, and what the console tells them, in Chromium
 * against a started server: changing one's own password (ChangePassword, audited, the password
 * policy's refusal shown), a security key's name checked before the browser makes a credential and
 * disabled with the button, the console at 127.0.0.1 saying to open it at localhost for security
 * keys, a key's serial wrapping at phone width, the simulator showing the context keys a decision
 * depends on, and the audit trail's CSV export neutralising formula-like cells.
 */
import { readFile } from 'node:fs/promises';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { AttachUserPolicyCommand, CreateLoginProfileCommand, CreateUserCommand, ListMFADevicesCommand, PutUserPolicyCommand, UpdateAccountPasswordPolicyCommand } from '@aws-sdk/client-iam';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { assertConsoleBuilt, CONSOLE_DIST, launchChromium, seriousAxeViolations, signIn } from './helpers/console-browser.js';

const PASSWORD = 'Self-Service-Passw0rd!';
const A = `arn:aws:iam::${E2E_ACCOUNT_ID}`;

describe('web console self-service in Chromium', () => {
  let t: TestCastellan;
  let base: string;
  let browser: Browser;

  /** A new browser (its own cookie and storage) signed in as `userName` at `url`. */
  async function signedIn(userName: string, url: string, password = PASSWORD): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(`${url}/console/`);
    await signIn(page, { account: E2E_ACCOUNT_ID, userName, password });
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    return { context, page };
  }

  /** The browser's virtual security key (Chromium's WebAuthn authenticator). */
  async function securityKey(context: BrowserContext, page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    return { cdp, authenticatorId };
  }

  const events = async (name: string, userName: string) =>
    ((await t.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] }))).Events ?? [])
      .map((e) => JSON.parse(e.CloudTrailEvent!) as { userIdentity: { userName?: string }; errorCode?: string; userAgent: string })
      .filter((e) => e.userIdentity.userName === userName);

  beforeAll(async () => {
    await assertConsoleBuilt();
    t = await startTestCastellan({}, { consoleDir: CONSOLE_DIST });
    // WebAuthn's RP id must be a domain: the browser maps localhost to the server's 127.0.0.1.
    base = t.url.replace('127.0.0.1', 'localhost');
    const iam = t.iam();
    await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 14, RequireSymbols: true, AllowUsersToChangePassword: true }));
    for (const name of ['admin', 'keyholder', 'carol']) await iam.send(new CreateUserCommand({ UserName: name }));
    for (const name of ['admin', 'keyholder']) await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    // carol holds no policy: the password policy alone lets her change her password.
    for (const name of ['admin', 'keyholder', 'carol']) await iam.send(new CreateLoginProfileCommand({ UserName: name, Password: PASSWORD }));
    await iam.send(new CreateUserCommand({ UserName: 'dave' }));
    await iam.send(new PutUserPolicyCommand({
      UserName: 'dave',
      PolicyName: 'dev-users',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'iam:DeleteUser', Resource: `${A}:user/dev-*` },
          { Effect: 'Deny', Action: 'iam:DeleteUser', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } },
        ],
      }),
    }));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('lets a user change their own password from "My security credentials", with the policy\'s refusal shown, audited', async () => {
    const { context, page } = await signedIn('carol', base);
    await page.getByRole('link', { name: 'My security credentials' }).click();
    await page.getByRole('heading', { name: 'User carol' }).waitFor();
    const section = page.getByRole('region', { name: 'Change your password' });
    // Mismatched confirmation: caught in the page
    await section.getByLabel('Your current password').fill(PASSWORD);
    await section.getByLabel('Your new password', { exact: true }).fill('Another-Passw0rd-1!');
    await section.getByLabel('Confirm your new password').fill('Another-Passw0rd-2!');
    await section.getByRole('button', { name: 'Change password' }).click();
    await section.getByRole('alert').filter({ hasText: 'The new passwords do not match.' }).waitFor();
    // Too weak for the policy: AWS's PasswordPolicyViolation
    await section.getByLabel('Your new password', { exact: true }).fill('short');
    await section.getByLabel('Confirm your new password').fill('short');
    await section.getByRole('button', { name: 'Change password' }).click();
    await section.getByRole('alert').filter({ hasText: /^PasswordPolicyViolation: / }).waitFor();
    // A good one
    await section.getByLabel('Your new password', { exact: true }).fill('Carols-New-Passw0rd!');
    await section.getByLabel('Confirm your new password').fill('Carols-New-Passw0rd!');
    await section.getByRole('button', { name: 'Change password' }).click();
    await section.getByRole('status').filter({ hasText: 'Your password was changed.' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await expect.poll(async () => (await events('ChangePassword', 'carol')).map((e) => e.errorCode ?? 'ok')).toEqual(['ok', 'PasswordPolicyViolationException']);
    expect((await events('ChangePassword', 'carol'))[0]!.userAgent).toMatch(/^castellan-console\//);
    await context.close();
    (await signedIn('carol', base, 'Carols-New-Passw0rd!')).context.close();
  });

  it('disables the security key name with its button when registration is not allowed', async () => {
    const { context, page } = await signedIn('carol', base, 'Carols-New-Passw0rd!');
    await page.goto(`${base}/console/#/users/carol`);
    await page.getByRole('heading', { name: 'User carol' }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Register a security key' }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Security key name').isDisabled()).toBe(true);
    await context.close();
  });

  it('refuses a bad security key name before the browser makes a credential', async () => {
    const { context, page } = await signedIn('keyholder', base);
    const { cdp, authenticatorId } = await securityKey(context, page);
    await page.goto(`${base}/console/#/users/keyholder`);
    await page.getByLabel('Security key name').fill('my key!');
    await page.getByRole('button', { name: 'Register a security key' }).click();
    await page.getByRole('alert').filter({ hasText: 'A security key name is 1 to 128 letters, digits or any of + = , . @ _ - (no spaces).' }).waitFor();
    // No credential was made, and nothing was asked of the server
    expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials).toEqual([]);
    await page.waitForTimeout(500);
    expect(await events('CreateVirtualMFADevice', 'keyholder')).toEqual([]);

    // A good name registers; at phone width its long serial wraps instead of widening the page
    await page.getByLabel('Security key name').fill('yubi');
    await page.getByRole('button', { name: 'Register a security key' }).click();
    await page.getByRole('status').filter({ hasText: 'Security key registered.' }).waitFor();
    const serial = (await t.iam().send(new ListMFADevicesCommand({ UserName: 'keyholder' }))).MFADevices![0]!.SerialNumber!;
    expect(serial).toMatch(/:u2f\/user\/keyholder\//);
    await page.getByText(serial).waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await context.close();
  });

  it('says to open the console at localhost for security keys when it is at 127.0.0.1, before any ceremony', async () => {
    const { context, page } = await signedIn('admin', t.url);
    const { cdp, authenticatorId } = await securityKey(context, page);
    const before = (await events('CreateVirtualMFADevice', 'admin')).length;
    await page.goto(`${t.url}/console/#/users/admin`);
    const port = new URL(t.url).port;
    await page.getByText(`Security keys need the console at a domain name: browsers refuse an IP address such as 127.0.0.1 for WebAuthn. Open the console at http://localhost:${port}/console/#/users/admin and sign in there to use one.`).waitFor();
    expect(await page.getByRole('button', { name: 'Register a security key' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Register a security key' }).getAttribute('aria-describedby')).toBe('security-key-site');
    expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials).toEqual([]);
    expect((await events('CreateVirtualMFADevice', 'admin')).length).toBe(before);
    await context.close();
  });

  it('shows the context keys a simulated decision depends on', async () => {
    const { context, page } = await signedIn('admin', base);
    await page.getByRole('link', { name: 'Policy simulator' }).click();
    await page.getByLabel('Principal ARN').fill(`${A}:user/dave`);
    await page.getByLabel('Actions (comma-separated)').fill('iam:DeleteUser');
    await page.getByLabel('Resource ARNs').fill(`${A}:user/dev-9`);
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await page.getByRole('cell', { name: 'allowed, depends on: aws:RequestedRegion (not given: add under Context keys)', exact: true }).waitFor();
    await context.close();
  });

  it('exports the audit trail as CSV with formula-like cells neutralised', async () => {
    // A refused call anyone can make, with a User-Agent a spreadsheet would run
    const evil = "=cmd|' /C calc'!A0";
    await fetch(`${t.url}/`, {
      method: 'POST',
      headers: {
        'user-agent': evil,
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKEFAKE/20261208/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00',
      },
      body: 'Action=ListUsers&Version=2010-05-08',
    });
    const { context, page } = await signedIn('admin', base);
    await page.goto(`${base}/console/#/trail/refused`);
    await page.getByRole('cell', { name: 'IncompleteSignature' }).first().waitFor();
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const lines = (await readFile((await file.path())!, 'utf8')).split('\r\n');
    const line = lines.find((l) => l.includes('IncompleteSignature'))!;
    expect(line).toContain(`,'${evil},IncompleteSignature,`);
    expect(lines.some((l) => l.includes(`,${evil},`))).toBe(false);
    await context.close();
  });
});
