/**
 * The web console's "Best practices" page in Chromium: GetBestPracticesReport through the console
 * session, the score per practice, the findings with their references and fixes, and the one-click
 * fixes (set the password policy, detach a policy from a user, deactivate an unused key) made as
 * ordinary IAM calls — checked through the SDK and in the trail, where they carry the console's name.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GetAccountPasswordPolicyCommand,
  UpdateAccountPasswordPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { assertConsoleBuilt, CONSOLE_DIST, launchChromium, screenshot, seriousAxeViolations, signIn } from './helpers/console-browser.js';

const PASSWORD = 'Advisor-Passw0rd-456!';
const DAY = 86_400_000;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

describe('web console best-practices page in Chromium', () => {
  let t: TestCastellan;
  let browser: Browser;
  let page: Page;
  let offset = 0;
  let oldKeyId: string;
  const iam = () => new IAMClient({ endpoint: t.url, region: 'us-east-1', credentials: t.root, maxAttempts: 1, systemClockOffset: offset });

  /** The finding whose heading is `title`. */
  const finding = (title: string | RegExp) => page.locator('li.finding').filter({ has: page.getByRole('heading', { name: title }) });

  beforeAll(async () => {
    await assertConsoleBuilt();
    t = await startTestCastellan({}, { consoleDir: CONSOLE_DIST, clock: { now: () => new Date(Date.now() + offset) } });
    // A key made 60 days ago on the server's clock and never used: unused for 45 days or more.
    offset = -60 * DAY;
    await iam().send(new CreateUserCommand({ UserName: 'olga' }));
    oldKeyId = (await iam().send(new CreateAccessKeyCommand({ UserName: 'olga' }))).AccessKey!.AccessKeyId!;
    offset = 0;
    // The signed-in user holds `*:*` through a policy of its own, so the AWS-managed one's finding names only ops-admin.
    const own = await iam().send(new CreatePolicyCommand({ PolicyName: 'ConsoleAdmin', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
    await iam().send(new CreateUserCommand({ UserName: 'auditor' }));
    await iam().send(new AttachUserPolicyCommand({ UserName: 'auditor', PolicyArn: own.Policy!.Arn! }));
    await iam().send(new CreateLoginProfileCommand({ UserName: 'auditor', Password: PASSWORD }));
    await iam().send(new CreateUserCommand({ UserName: 'ops-admin' }));
    await iam().send(new AttachUserPolicyCommand({ UserName: 'ops-admin', PolicyArn: ADMIN }));
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    await page.goto(`${t.url}/console/`);
    await signIn(page, { account: E2E_ACCOUNT_ID, userName: 'auditor', password: PASSWORD });
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('shows the overall score, a bar per practice and the findings with references and fixes', async () => {
    await page.getByRole('link', { name: 'Best practices' }).click();
    await page.getByText(/Overall score \d+ of 100/).waitFor();
    const bars = page.getByRole('list', { name: 'Score per practice' }).getByRole('listitem');
    expect(await bars.count()).toBe(11);
    // Practice 6 lost 20 for a high finding (no password policy): its meter says so.
    expect(await page.getByRole('meter', { name: '6. Set a strong password policy' }).getAttribute('value')).toBe('80');
    const noPolicy = finding('The account has no password policy');
    await noPolicy.getByText('high', { exact: true }).waitFor();
    await noPolicy.getByText(/CIS AWS Foundations v3.0.0 1.8/).waitFor();
    await noPolicy.getByText('iam_password_policy_minimum_length_14').waitFor();
    await noPolicy.getByText(/aws iam update-account-password-policy --minimum-password-length 14/).waitFor();
    await noPolicy.getByRole('button', { name: 'Apply' }).waitFor();
    // A fix a person must finish (a virtual MFA device needs its codes) has no Apply button.
    const noMfa = finding(/has no MFA/).first();
    await noMfa.waitFor();
    expect(await noMfa.getByRole('button', { name: 'Apply' }).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'best-practices');
  });

  it('fits a phone-width screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('meter', { name: '6. Set a strong password policy' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('applies the password policy fix through IAM, audited, and runs the report again', async () => {
    const before = await page.getByText(/Overall score \d+ of 100/).textContent();
    await finding('The account has no password policy').getByRole('button', { name: 'Apply' }).click();
    await page.getByText(/^Fixed "The account has no password policy"/).waitFor();
    await page.getByText(/Overall score \d+ of 100/).waitFor();
    await expect.poll(() => finding('The account has no password policy').count()).toBe(0);
    expect(await page.getByText(/Overall score \d+ of 100/).textContent()).not.toBe(before);
    const policy = (await iam().send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy!;
    expect(policy).toMatchObject({ MinimumPasswordLength: 14, PasswordReusePrevention: 24, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true });
    const trail = new CloudTrailClient({ endpoint: t.url, region: 'us-east-1', credentials: t.root, maxAttempts: 1 });
    const events = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'UpdateAccountPasswordPolicy' }] }));
    expect(events.Events).toHaveLength(1);
    const record = JSON.parse(events.Events![0]!.CloudTrailEvent!) as { userIdentity: { userName: string }; userAgent: string };
    expect(record.userIdentity.userName).toBe('auditor');
    expect(record.userAgent).toMatch(/^castellan-console\//);
    // The report was asked for twice (on opening, after the fix); records are written in batches.
    const reports = async () => (await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetBestPracticesReport' }] }))).Events!;
    await expect.poll(async () => (await reports()).length).toBe(2);
    expect((await reports()).map((e) => e.Username)).toEqual(['auditor', 'auditor']);
  });

  it('applies a password-length fix keeping every other setting of the policy (no partial update on AWS)', async () => {
    // Given a policy that lets users change their password and expires them hard, but allows 12 characters
    await iam().send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, PasswordReusePrevention: 24, AllowUsersToChangePassword: true, HardExpiry: true, MaxPasswordAge: 90 }));
    await page.reload();
    const short = finding('Passwords may be shorter than 14 characters');
    await short.getByText('aws iam update-account-password-policy --minimum-password-length 14 --password-reuse-prevention 24 --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters --allow-users-to-change-password --hard-expiry --max-password-age 90').waitFor();
    // When the fix is applied
    await short.getByRole('button', { name: 'Apply' }).click();
    await page.getByText(/^Fixed "Passwords may be shorter than 14 characters"/).waitFor();
    // Then only the length changed
    const policy = (await iam().send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy!;
    expect(policy).toMatchObject({ MinimumPasswordLength: 14, PasswordReusePrevention: 24, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, AllowUsersToChangePassword: true, HardExpiry: true, MaxPasswordAge: 90 });
  });

  it('detaches AdministratorAccess from the user it names, and nobody else', async () => {
    const admin = finding(/full administrator access/).filter({ hasText: 'ops-admin' });
    await admin.getByText('Detach AdministratorAccess from ops-admin').waitFor();
    await admin.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => finding(/full administrator access/).filter({ hasText: 'ops-admin' }).count()).toBe(0);
    expect((await iam().send(new ListAttachedUserPoliciesCommand({ UserName: 'ops-admin' }))).AttachedPolicies).toEqual([]);
    expect((await iam().send(new ListAttachedUserPoliciesCommand({ UserName: 'auditor' }))).AttachedPolicies).toHaveLength(1);
    // Taking `*:*` away from the signed-in user is left to a person: no one-click lock-out.
    const own = finding(/full administrator access/).filter({ hasText: 'ConsoleAdmin' });
    await own.getByText(/aws iam detach-user-policy --user-name auditor/).waitFor();
    expect(await own.getByRole('button', { name: 'Apply' }).count()).toBe(0);
  });

  it('deactivates the unused access key the finding is about', async () => {
    const unused = finding(/^low access key 1 unused for 45 days/).filter({ hasText: 'olga' });
    await unused.getByText("Deactivate olga's unused access key 1").waitFor();
    await unused.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => finding(/access key 1 unused/).filter({ hasText: 'olga' }).count()).toBe(0);
    const keys = (await iam().send(new ListAccessKeysCommand({ UserName: 'olga' }))).AccessKeyMetadata!;
    expect(keys).toEqual([expect.objectContaining({ AccessKeyId: oldKeyId, Status: 'Inactive' })]);
  });
});
