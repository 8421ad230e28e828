/**
 * The web console in a real browser (Debian's Chromium, headless) against a started server: served
 * under /console/ with a strict CSP, sign-in with password + TOTP, users/groups/policies through
 * the IAM wire API with AWS's errors shown, the policy editor flagging a problem at its line, a
 * cross-origin request refused, sign-out and the idle timeout, and axe-core finding no serious
 * accessibility violation. Screenshots of the main pages are taken (see helpers/console-browser.ts for
 * where they go).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AttachUserPolicyCommand, CreateLoginProfileCommand, CreateUserCommand, CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, GetRoleCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeAt, timeStep } from '../../packages/server/src/services/iam/totp.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { assertConsoleBuilt, CONSOLE_DIST, launchChromium, screenshot, seriousAxeViolations } from './helpers/console-browser.js';

const ADMIN_PASSWORD = 'Adm1n-Console-Passw0rd!';

/** The CSRF token the console keeps for the browser's tabs (the session cookie itself is HttpOnly). */
function csrfTokenOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    const storage = (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage;
    return (JSON.parse(storage.getItem('castellan-console-session')!) as { csrfToken: string }).csrfToken;
  });
}

describe('web console in Chromium', () => {
  let t: TestCastellan;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seed: string;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    await assertConsoleBuilt();
    t = await startTestCastellan({}, { consoleDir: CONSOLE_DIST });
    const iam = t.iam();
    await iam.send(new CreateUserCommand({ UserName: 'admin' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'admin', Password: ADMIN_PASSWORD }));
    const device = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'admin' }))).VirtualMFADevice!;
    seed = new TextDecoder().decode(device.Base32StringSeed);
    const step = timeStep(new Date());
    await iam.send(new EnableMFADeviceCommand({ UserName: 'admin', SerialNumber: device.SerialNumber!, AuthenticationCode1: codeAt(seed, step - 1), AuthenticationCode2: codeAt(seed, step) }));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('sends a browser at / to /console/, and serves the console with a strict CSP', async () => {
    const home = await fetch(`${t.url}/`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(home.status).toBe(302);
    expect(home.headers.get('location')).toBe('/console/');
    // An API call on GET / (a query string) is still an API call.
    expect((await fetch(`${t.url}/?Action=ListUsers&Version=2010-05-08`, { redirect: 'manual' })).status).toBe(403);
    const res = await fetch(`${t.url}/console/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(await res.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('signs in with password and a TOTP code; the session cookie is HttpOnly and SameSite=Strict', async () => {
    await page.goto(`${t.url}/`);
    expect(new URL(page.url()).pathname).toBe('/console/');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByLabel('Account').fill(E2E_ACCOUNT_ID);
    await page.getByLabel('User name', { exact: true }).fill('admin');
    await page.getByLabel('Password', { exact: true }).fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    // The keyboard stays on the form's button while the answer comes (a disabled button dropped it to the page).
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document.activeElement?.textContent)).toBe('Sign in');
    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByLabel('MFA code').fill(codeAt(seed, timeStep(new Date()) + 1));
    await screenshot(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.getByText('admin @ 123456789012 (MFA)').waitFor();
    const cookie = (await context.cookies()).find((c) => c.name === 'castellan-console')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('creates a user, shows AWS\'s error for a duplicate, and records the console as the user agent', async () => {
    await page.getByLabel('User name', { exact: true }).fill('carol');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('status').filter({ hasText: 'Created user carol.' }).waitFor();
    await page.getByRole('link', { name: 'carol' }).waitFor();
    await page.getByLabel('User name', { exact: true }).fill('carol');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('alert').filter({ hasText: 'EntityAlreadyExists: User with name carol already exists.' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'users');
    const events = await t.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }] }));
    const byConsole = events.Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as { userAgent: string; userIdentity: { userName?: string }; errorCode?: string }).filter((e) => e.userIdentity.userName === 'admin');
    expect(byConsole).toHaveLength(2);
    for (const e of byConsole) expect(e.userAgent).toMatch(/^castellan-console\/0\.1\.0 \(Mozilla/);
  });

  it('creates a group, attaches a policy to it and adds a user', async () => {
    await page.getByRole('link', { name: 'Groups' }).click();
    await page.getByLabel('Group name').fill('devs');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('link', { name: 'devs' }).click();
    await page.getByLabel('Policy ARN to attach').fill('arn:aws:iam::aws:policy/ReadOnlyAccess');
    await page.getByRole('button', { name: 'Attach policy' }).click();
    await page.getByText('arn:aws:iam::aws:policy/ReadOnlyAccess', { exact: true }).waitFor();
    // A policy that does not exist is refused with IAM's own message.
    await page.getByLabel('Policy ARN to attach').fill('arn:aws:iam::123456789012:policy/nope');
    await page.getByRole('button', { name: 'Attach policy' }).click();
    await page.getByRole('alert').filter({ hasText: /^NoSuchEntity: Policy arn:aws:iam::123456789012:policy\/nope does not exist or is not attachable\.$/ }).waitFor();
    await page.goto(`${t.url}/console/#/users/carol`);
    await page.getByLabel('Add to group').fill('devs');
    await page.getByRole('button', { name: 'Add to group' }).click();
    await page.getByRole('link', { name: 'devs' }).waitFor();
    // The page's existence check asks GetGroup for one member only (the members section reads its own).
    const getGroups: URLSearchParams[] = [];
    const seen = (r: { postData(): string | null }) => {
      const body = new URLSearchParams(r.postData() ?? '');
      if (body.get('Action') === 'GetGroup') getGroups.push(body);
    };
    page.on('request', seen);
    await page.goto(`${t.url}/console/#/groups/devs`);
    await page.getByRole('link', { name: 'carol' }).waitFor();
    page.off('request', seen);
    expect(getGroups.filter((b) => b.get('MaxItems') === '1').length).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'group');
  });

  it('skips to the content of the page it is on (the pages live in the fragment, #main is not one)', async () => {
    await page.getByRole('link', { name: 'Policies', exact: true }).click();
    await page.getByRole('heading', { name: 'Policies', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Skip to content' }).focus();
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#/policies');
    await page.getByRole('heading', { name: 'Policies', level: 1 }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe('main');
  });

  it('creates a role with its trust policy, and refuses a malformed one with IAM\'s message', async () => {
    await page.getByRole('link', { name: 'Roles' }).click();
    await page.getByLabel('Role name').fill('builder');
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.getByRole('link', { name: 'builder' }).click();
    await page.getByText('"ec2.amazonaws.com"').waitFor();
    await page.getByRole('link', { name: 'All roles' }).click();
    await page.getByLabel('Role name').fill('broken-role');
    await page.getByLabel('Trust policy').fill('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}');
    await page.locator('.problems .problem-error').first().waitFor();
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.getByRole('alert').filter({ hasText: /^MalformedPolicyDocument: / }).waitFor();
  });

  it('edits a role\'s trust policy and saves it with UpdateAssumeRolePolicy', async () => {
    await page.goto(`${t.url}/console/#/roles/builder`);
    const trust = page.getByLabel('Who may assume this role');
    await trust.fill((await trust.inputValue()).replace('ec2.amazonaws.com', 'lambda.amazonaws.com'));
    // The role's read-back after the save is held: meanwhile the editor keeps the saved draft, not the old document.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let heldReadBack = false;
    await page.route(`${t.url}/`, async (route) => {
      if (!route.request().postData()?.includes('Action=GetRole&')) return route.fallback();
      heldReadBack = true;
      await held;
      await route.fallback();
    });
    try {
      await page.getByRole('button', { name: 'Save trust policy' }).click();
      await page.getByRole('status').filter({ hasText: 'Trust policy saved.' }).waitFor();
      expect(await trust.inputValue()).toContain('lambda.amazonaws.com');
      // The check above means something only if the read-back was the one held.
      expect(heldReadBack).toBe(true);
      release();
      await page.getByRole('button', { name: 'Save trust policy' }).and(page.locator(':disabled')).waitFor();
      expect(await trust.inputValue()).toContain('lambda.amazonaws.com');
    } finally {
      release();
      await page.unroute(`${t.url}/`);
    }
    const role = (await t.iam().send(new GetRoleCommand({ RoleName: 'builder' }))).Role!;
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)).Statement[0].Principal).toEqual({ Service: 'lambda.amazonaws.com' });
  });

  it('searches the whole list of AWS managed policies, not only the pages loaded', async () => {
    await page.goto(`${t.url}/console/#/policies`);
    await page.getByLabel('Owner').selectOption('AWS');
    await page.getByRole('link', { name: 'AdministratorAccess', exact: true }).waitFor();
    // Far past the first page of 50.
    await page.getByLabel('Search policies').fill('AmazonS3ReadOnly');
    await page.getByRole('link', { name: 'AmazonS3ReadOnlyAccess', exact: true }).waitFor();
    // A broad search draws at most 200 rows and says how many match.
    await page.getByLabel('Search policies').fill('a');
    await page.getByRole('status').filter({ hasText: /^Showing the first 200 of [\d,]+ matches/ }).waitFor();
    const rows = page.getByRole('table', { name: 'Managed policies' }).locator('tbody tr');
    expect(await rows.count()).toBe(200);
    // Cleared, the list is the paged view again: the first page and "Load more", not everything read.
    await page.getByLabel('Search policies').fill('');
    await page.getByRole('button', { name: 'Load more' }).waitFor();
    expect(await rows.count()).toBe(50);
    await page.getByLabel('Owner').selectOption('Local');
    await page.getByRole('cell', { name: 'No policies.' }).waitFor();
  });

  it('flags a policy problem at its line as you type, and the server refuses it with AWS\'s message', async () => {
    await page.getByRole('link', { name: 'Policies' }).click();
    await page.getByLabel('Policy name').fill('broken');
    const doc = ['{', '  "Version": "2012-10-17",', '  "Statement": [{', '    "Effect": "Allow",', '    "Action": "iam:ListUsers",', '    "Resource": "*",', '    "Condition": {"StringEqualz": {"aws:username": "bob"}}', '  }]', '}'].join('\n');
    await page.getByLabel('Policy document').fill(doc);
    await page.locator('.gutter-line.problem-error[data-line="7"]').waitFor();
    expect(await page.locator('.problems li').first().textContent()).toMatch(/^Line 7 \(error/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'policy-editor');
    await page.getByRole('button', { name: /Create policy/ }).click();
    await page.getByRole('alert').filter({ hasText: /^MalformedPolicyDocument: / }).waitFor();
    await page.getByLabel('Policy document').fill(doc.replace('StringEqualz', 'StringEquals'));
    await page.getByText('No problems: the policy is valid.').waitFor();
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.getByRole('link', { name: 'broken' }).waitFor();
  });

  it('edits a policy into a new default version, shows the change as a diff, and sets the old one back', async () => {
    await page.getByRole('link', { name: 'broken' }).click();
    await page.getByRole('heading', { name: 'Document v1 (default)' }).waitFor();
    await page.getByRole('cell', { name: 'iam:ListUsers' }).waitFor();
    const editor = page.getByLabel('Policy document');
    await editor.fill((await editor.inputValue()).replace('"bob"', '"carol"'));
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByRole('heading', { name: 'Document v2 (default)' }).waitFor();
    await page.getByRole('button', { name: 'v1', exact: true }).click();
    const diff = page.getByLabel('Changes from v2 to v1');
    await diff.waitFor();
    // The diff box shows before the older version's text has loaded: wait for its lines, then read them.
    await diff.locator('.diff-removed').first().waitFor();
    expect(await diff.locator('.diff-removed').allTextContents()).toEqual([expect.stringContaining('"carol"')]);
    expect(await diff.locator('.diff-added').allTextContents()).toEqual([expect.stringContaining('"bob"')]);
    await page.getByRole('button', { name: 'Set as default' }).click();
    await page.getByRole('status').filter({ hasText: 'v1 is now the default version.' }).waitFor();
  });

  it('tags a user and sets its permissions boundary', async () => {
    await page.goto(`${t.url}/console/#/users/carol`);
    await page.getByLabel('Tag key').fill('team');
    await page.getByLabel('Tag value').fill('blue');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByText('team = blue').waitFor();
    await page.getByLabel('Boundary policy ARN').fill('arn:aws:iam::aws:policy/ReadOnlyAccess');
    await page.getByRole('button', { name: 'Set boundary' }).click();
    await page.getByRole('button', { name: 'Remove boundary' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'user');
  });

  it('answers a user that does not exist with IAM\'s NoSuchEntity once, showing nothing of the user opened before', async () => {
    await page.goto(`${t.url}/console/#/users/carol`);
    await page.getByText('team = blue').waitFor();
    await page.goto(`${t.url}/console/#/users/nobody-by-that-name`);
    await page.getByRole('alert').filter({ hasText: 'NoSuchEntity: The user with name nobody-by-that-name cannot be found.' }).waitFor();
    await page.getByRole('heading', { name: 'User nobody-by-that-name' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(1);
    expect(await page.getByText('team = blue').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Create access key' }).count()).toBe(0);
  });

  it('answers a policy that does not exist with IAM\'s NoSuchEntity alone, showing nothing of the policy opened before', async () => {
    const missing = `arn:aws:iam::${E2E_ACCOUNT_ID}:policy/nope`;
    await page.goto(`${t.url}/console/#/policies`);
    await page.getByRole('link', { name: 'broken' }).click();
    await page.getByRole('cell', { name: 'iam:ListUsers' }).waitFor();
    await page.goto(`${t.url}/console/#/policies/${encodeURIComponent(missing)}`);
    await page.getByRole('alert').filter({ hasText: `NoSuchEntity: Policy ${missing} was not found.` }).waitFor();
    expect(await page.getByRole('heading', { name: 'Policy broken' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Delete policy|Save as new version/ }).count()).toBe(0);
  });

  it('refuses the session from another origin, with or without the CSRF token', async () => {
    const cookie = (await context.cookies()).find((c) => c.name === 'castellan-console')!;
    // A page on another origin (another port of the same host: the same *site*, so the browser sends the SameSite cookie).
    const evil: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><title>evil</title><p>hi</p>');
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    try {
      const evilPage = await context.newPage();
      await evilPage.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const status = await evilPage.evaluate(async (url) => {
        const r = await fetch(`${url}/`, { method: 'POST', mode: 'no-cors', credentials: 'include', body: new URLSearchParams({ Action: 'CreateUser', Version: '2010-05-08', UserName: 'evil' }) });
        return r.type;
      }, t.url);
      expect(status).toBe('opaque');
      await evilPage.close();
    } finally {
      evil.close();
    }
    // Even with the session's own CSRF token, a request whose Origin is another site is refused.
    const csrf = await csrfTokenOf(page);
    const forged = await fetch(`${t.url}/`, {
      method: 'POST',
      headers: { cookie: `castellan-console=${cookie.value}`, 'x-castellan-csrf': csrf, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=CreateUser&Version=2010-05-08&UserName=evil2',
    });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('<Code>AccessDenied</Code>');
    // Without the CSRF token, the same-origin cookie alone is not enough either.
    const tokenless = await fetch(`${t.url}/`, { method: 'POST', headers: { cookie: `castellan-console=${cookie.value}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=CreateUser&Version=2010-05-08&UserName=evil3' });
    expect(tokenless.status).toBe(403);
    const users = (await t.iam().send(new ListUsersCommand({}))).Users!.map((u) => u.UserName);
    expect(users).not.toContain('evil');
    expect(users).not.toContain('evil2');
    expect(users).not.toContain('evil3');
  });

  it('works at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${t.url}/console/#/users`);
    await page.getByRole('link', { name: 'carol' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'users-phone');
    // A policy's summary table is wider than the phone: it scrolls, by keyboard too.
    await page.goto(`${t.url}/console/#/policies`);
    await page.getByRole('link', { name: 'broken' }).click();
    await page.getByRole('cell', { name: 'iam:ListUsers' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('signs out: the old cookie no longer works', async () => {
    const cookie = (await context.cookies()).find((c) => c.name === 'castellan-console')!;
    const csrf = await csrfTokenOf(page);
    // A sign-out the server never got is not shown as done: the cookie would still work.
    await page.route('**/signout', (route) => route.abort());
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('alert').filter({ hasText: 'Sign-out failed' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.unroute('**/signout');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You signed out.').waitFor();
    const after = await fetch(`${t.url}/`, { method: 'POST', headers: { cookie: `castellan-console=${cookie.value}`, 'x-castellan-csrf': csrf, 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListUsers&Version=2010-05-08' });
    expect(after.status).toBe(403);
    expect(cspViolations).toEqual([]);
  });

  it('signs out after 15 minutes without activity', async () => {
    await t.iam().send(new CreateUserCommand({ UserName: 'idle' }));
    await t.iam().send(new CreateLoginProfileCommand({ UserName: 'idle', Password: ADMIN_PASSWORD }));
    const idle = await context.newPage();
    await idle.clock.install();
    await idle.goto(`${t.url}/console/`);
    await idle.getByLabel('Account').fill(E2E_ACCOUNT_ID);
    await idle.getByLabel('User name', { exact: true }).fill('idle');
    await idle.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await idle.getByRole('button', { name: 'Sign in' }).click();
    await idle.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    // A user with no policies sees AWS's refusal: the console has no permissions of its own.
    await idle.getByRole('alert').filter({ hasText: /^AccessDenied: User: arn:aws:iam::123456789012:user\/idle is not authorized to perform: iam:ListUsers on resource: / }).waitFor();
    // A refused listing is not an empty one: no "No users." under the refusal.
    expect(await idle.getByText('No users.').count()).toBe(0);
    await idle.clock.fastForward('14:00');
    expect(await idle.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    await idle.clock.fastForward('01:30');
    await idle.getByText('You were signed out after 15 minutes without activity.').waitFor();
    await idle.close();
  });
});
