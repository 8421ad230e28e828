/**
 * The console shows each signed-in user the edit controls they may use, in Chromium against a
 * started server: it asks castellan:GetCallerPermissions about the actions of the page's forms and
 * disables those the engine denies, saying why ("Why was this denied?" decodes the same encoded
 * message a refused call carries). An auditor with ReadOnlyAccess reads everything and may change
 * nothing; an administrator may use every control; a user allowed only iam:CreateAccessKey on
 * `${aws:username}` may create keys on their own page only. A permission granted or revoked by
 * another administrator while the page is open shows without a reload: when the answers are 30 s
 * old (the page's clock moved on) or the tab is shown again.
 */
import { AttachUserPolicyCommand, CreateLoginProfileCommand, CreateUserCommand, DeleteUserPolicyCommand, ListAccessKeysCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { assertConsoleBuilt, CONSOLE_DIST, launchChromium, screenshot, seriousAxeViolations, signIn } from './helpers/console-browser.js';

const PASSWORD = 'Console-Perm1ssions-Passw0rd!';

type Doc = { querySelectorAll(s: string): ArrayLike<{ textContent: string | null; getAttribute(n: string): string | null }> };
/** The names (accessible label, else text) of the buttons on the page that are enabled, or disabled. */
const buttons = (page: Page, state: 'enabled' | 'disabled') =>
  page.evaluate((selector) => {
    const d = (globalThis as unknown as { document: Doc }).document;
    return Array.from(d.querySelectorAll(selector)).map((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim());
  }, state === 'enabled' ? 'main button:enabled' : 'main button:disabled');

describe('web console edit controls by what the signed-in user may do, in Chromium', () => {
  let t: TestCastellan;
  let browser: Browser;

  /** A new tab signed in as `userName`, opened at `route`. */
  async function signedIn(userName: string, route: string, { clock = false } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    // The page's timers and Date, which the test may move on (they run at the normal pace meanwhile)
    if (clock) await page.clock.install();
    await page.goto(`${t.url}/console/`);
    await signIn(page, { account: E2E_ACCOUNT_ID, userName, password: PASSWORD });
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.goto(`${t.url}/console/#/${route}`);
    return page;
  }

  /** Waits until every control of the page has its answer (each gate's `data-permission`). */
  const settled = (page: Page) =>
    page.waitForFunction(() => {
      const d = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown> } }).document;
      return d.querySelectorAll('fieldset.gate').length > 0 && d.querySelectorAll('fieldset.gate[data-permission="asking"]').length === 0;
    });

  beforeAll(async () => {
    await assertConsoleBuilt();
    t = await startTestCastellan({}, { consoleDir: CONSOLE_DIST });
    const iam = t.iam();
    for (const name of ['auditor', 'admin', 'keyholder', 'grantee', 'bob']) {
      await iam.send(new CreateUserCommand({ UserName: name }));
      if (name !== 'bob') await iam.send(new CreateLoginProfileCommand({ UserName: name, Password: PASSWORD, PasswordResetRequired: false }));
    }
    for (const name of ['auditor', 'grantee']) await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await iam.send(new PutUserPolicyCommand({
      UserName: 'keyholder',
      PolicyName: 'own-keys',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: 'arn:aws:iam::*:user/${aws:username}' },
          // Decided by the tags the call will carry: the console cannot know, and leaves it to the server
          { Effect: 'Allow', Action: 'iam:TagUser', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/team': 'dev' } } },
        ],
      }),
    }));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('an auditor with ReadOnlyAccess reads every list and page, and finds no create or delete control enabled', async () => {
    const page = await signedIn('auditor', 'users');
    // The list is read; creating a user is disabled, with the reason and the way to the deciding statements
    await page.getByRole('link', { name: 'bob' }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Create user' }).isDisabled()).toBe(true);
    await page.getByText('You may not: iam:CreateUser, denied because no identity-based policy allows it.').waitFor();
    await page.getByRole('button', { name: 'Why was this denied?' }).click();
    // ReadOnlyAccess does not allow sts:DecodeAuthorizationMessage: the auditor is told so and given the message
    await page.getByText(/could not be decoded as you \(AccessDenied: .*sts:DecodeAuthorizationMessage/).waitFor();

    for (const [route, create] of [['groups', 'Create group'], ['roles', 'Create role'], ['policies', 'Create policy']] as const) {
      await page.goto(`${t.url}/console/#/${route}`);
      await expect.poll(() => page.getByRole('button', { name: create }).isDisabled(), { message: route }).toBe(true);
      // Reads still work: the page's list is there, with no refusal
      expect(await page.locator('.notice-error').count(), route).toBe(0);
    }

    await page.goto(`${t.url}/console/#/users/bob`);
    await page.getByRole('heading', { name: 'User bob' }).waitFor();
    await expect.poll(() => buttons(page, 'disabled'), { timeout: 10_000 }).toEqual(expect.arrayContaining(['Attach policy', 'Add inline policy', 'Add to group', 'Create access key', 'Set console password', 'Assign virtual MFA device', 'Set boundary', 'Add tag', 'Delete user']));
    await settled(page);
    // Every button left enabled only explains
    expect((await buttons(page, 'enabled')).filter((b) => b !== 'Why was this denied?')).toEqual([]);
    // and bob's page was read without a refusal
    expect(await page.locator('.notice-error').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'read-only-user');

    // Their own page too: the policy they hold, their keys, MFA and security keys are not theirs to change
    await page.goto(`${t.url}/console/#/users/auditor`);
    await page.getByRole('heading', { name: 'User auditor' }).waitFor();
    await expect.poll(() => buttons(page, 'disabled')).toEqual(expect.arrayContaining(['Detach ReadOnlyAccess', 'Create access key', 'Assign virtual MFA device', 'Register a security key', 'Delete user']));
    await settled(page);
    expect((await buttons(page, 'enabled')).filter((b) => b !== 'Why was this denied?')).toEqual([]);
    await page.context().close();
  });

  it('an administrator finds every control enabled, with no reason given for any', async () => {
    const page = await signedIn('admin', 'users');
    await settled(page);
    expect(await page.getByRole('button', { name: 'Create user' }).isDisabled()).toBe(false);
    await page.goto(`${t.url}/console/#/users/bob`);
    await page.getByRole('heading', { name: 'User bob' }).waitFor();
    await settled(page);
    await page.getByRole('button', { name: 'Delete user' }).waitFor();
    expect(await buttons(page, 'disabled')).toEqual([]);
    expect(await buttons(page, 'enabled')).toEqual(expect.arrayContaining(['Attach policy', 'Add inline policy', 'Add to group', 'Create access key', 'Set console password', 'Assign virtual MFA device', 'Set boundary', 'Add tag', 'Delete user']));
    expect(await page.locator('.denied-hint').count()).toBe(0);
    await page.context().close();
  });

  it('a user allowed only iam:CreateAccessKey on ${aws:username} creates keys on their own page, and not on another user’s', async () => {
    const page = await signedIn('keyholder', 'users/keyholder');
    await page.getByRole('heading', { name: 'User keyholder' }).waitFor();
    await settled(page);
    const create = page.getByRole('button', { name: 'Create access key' });
    await expect.poll(() => create.isDisabled()).toBe(false);
    await create.click();
    await page.getByText('Created an access key.').waitFor();
    expect((await t.iam().send(new ListAccessKeysCommand({ UserName: 'keyholder' }))).AccessKeyMetadata).toHaveLength(1);
    // The other controls of their own page are not theirs to use
    expect(await page.getByRole('button', { name: 'Delete user' }).isDisabled()).toBe(true);

    await page.goto(`${t.url}/console/#/users/bob`);
    await page.getByRole('heading', { name: 'User bob' }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Create access key' }).isDisabled()).toBe(true);
    await page.getByText('You may not: iam:CreateAccessKey, denied because no identity-based policy allows it.').waitFor();
    // An answer that depends on the request's own tags leaves the control enabled: the server decides
    await settled(page);
    expect(await page.getByRole('button', { name: 'Add tag' }).isDisabled()).toBe(false);
    expect(await page.getByRole('button', { name: 'Delete user' }).isDisabled()).toBe(true);
    await page.context().close();
  });

  it('a permission granted and revoked by another administrator shows on the open page without a reload, with one call per refresh and no flicker', async () => {
    const page = await signedIn('grantee', 'users/bob', { clock: true });
    await page.getByRole('heading', { name: 'User bob' }).waitFor();
    await settled(page);
    const create = page.getByRole('button', { name: 'Create access key' });
    expect(await create.isDisabled()).toBe(true);

    // From now on: every GetCallerPermissions call, and any gate that went back to "asking" (a flicker)
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.headers()['x-amz-target']?.endsWith('.GetCallerPermissions')) asked.push(r.url());
    });
    // (the page's own code as a string: the test files are not compiled with the DOM's types)
    await page.evaluate(`window.flickers = 0;
      new MutationObserver((records) => {
        for (const r of records) if (r.target.getAttribute('data-permission') === 'asking') window.flickers++;
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-permission'] });`);
    const flickers = () => page.evaluate<number>('window.flickers');

    // Granted through the API: the page sees it once its answers are 30 s old
    const bobArn = `arn:aws:iam::${E2E_ACCOUNT_ID}:user/bob`;
    await t.iam().send(new PutUserPolicyCommand({
      UserName: 'grantee',
      PolicyName: 'bob-keys',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: bobArn }] }),
    }));
    await page.clock.fastForward(29_000);
    // Not yet: the answers are 29 s old
    await page.waitForTimeout(300);
    expect(asked).toEqual([]);
    expect(await create.isDisabled()).toBe(true);
    await page.clock.fastForward(1_500);
    await expect.poll(() => create.isDisabled()).toBe(false);
    // The page's gates asked together, once
    expect(asked).toHaveLength(1);
    expect(await page.getByText('You may not: iam:CreateAccessKey').count()).toBe(0);

    // Revoked: the tab shown again asks at once
    await t.iam().send(new DeleteUserPolicyCommand({ UserName: 'grantee', PolicyName: 'bob-keys' }));
    await page.evaluate(`document.dispatchEvent(new Event('visibilitychange'))`);
    await expect.poll(() => create.isDisabled()).toBe(true);
    await page.getByText('You may not: iam:CreateAccessKey, denied because no identity-based policy allows it.').waitFor();
    expect(asked).toHaveLength(2);
    // The controls kept their previous answer while each question was on its way
    expect(await flickers()).toBe(0);
    await page.context().close();
  });
});
