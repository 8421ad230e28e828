/**
 * The console session belongs to the browser, not to one tab, as on AWS (Chromium against a started
 * server): a console link opened in a new tab is signed in; signing out in one tab signs the others
 * out and a sign-in in one tab signs the others in; a tab whose session another sign-in replaced
 * moves to the new one and says so; a call refused because the session is over says "Your session
 * has ended", never the CSRF header's text; idle time counts input in every tab.
 */
import { CreateLoginProfileCommand, CreateUserCommand, AttachUserPolicyCommand } from '@aws-sdk/client-iam';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { assertConsoleBuilt, CONSOLE_DIST, launchChromium, signIn } from './helpers/console-browser.js';

const PASSWORD = 'Tabs-Console-Passw0rd!';

describe('web console session across tabs in Chromium', () => {
  let t: TestCastellan;
  let browser: Browser;
  let context: BrowserContext;
  let first: Page;
  let second: Page;

  beforeAll(async () => {
    await assertConsoleBuilt();
    t = await startTestCastellan({}, { consoleDir: CONSOLE_DIST });
    for (const name of ['alice', 'bob']) {
      await t.iam().send(new CreateUserCommand({ UserName: name }));
      await t.iam().send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
      await t.iam().send(new CreateLoginProfileCommand({ UserName: name, Password: PASSWORD }));
    }
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    first = await context.newPage();
    await first.goto(`${t.url}/console/`);
    await signIn(first, { account: E2E_ACCOUNT_ID, userName: 'alice', password: PASSWORD });
    await first.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('opens a console link in a new tab signed in', async () => {
    // Given alice signed in in the first tab
    // When a link to her page is opened in a new tab
    second = await context.newPage();
    await second.goto(`${t.url}/console/#/users/bob`);
    // Then it shows the page, signed in, and its calls work
    await second.getByRole('heading', { name: 'User bob' }).waitFor();
    await second.getByText('alice @ 123456789012').waitFor();
    await second.getByRole('button', { name: 'Detach AdministratorAccess' }).waitFor();
    expect(await second.getByRole('heading', { name: 'Sign in' }).count()).toBe(0);
  });

  it('signs every tab out with one, and every tab in with one', async () => {
    // When the second tab signs out
    await second.getByRole('button', { name: 'Sign out' }).click();
    await second.getByText('You signed out.').waitFor();
    // Then the first tab shows the sign-in page at once
    await first.getByRole('heading', { name: 'Sign in' }).waitFor();
    await first.getByText('Your session has ended. Sign in again.').waitFor();
    // When bob signs in in the first tab, the second follows
    await signIn(first, { account: E2E_ACCOUNT_ID, userName: 'bob', password: PASSWORD });
    await first.getByText('bob @ 123456789012').waitFor();
    await second.getByText('bob @ 123456789012').waitFor();
    await second.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  });

  it('moves a tab to the session a sign-in in another tab replaced its own with, saying so', async () => {
    // Given both tabs as bob; the second signs in as alice (what its sign-in page does: POST /signin, then store the session)
    await second.evaluate(async ({ account, password }) => {
      const res = await fetch('/signin', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ account, userName: 'alice', password }) });
      const answer = (await res.json()) as { csrfToken: string; expiration: string; mfaUsed: boolean };
      (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } }).localStorage.setItem('castellan-console-session', JSON.stringify({ csrfToken: answer.csrfToken, expiration: answer.expiration, mfaUsed: answer.mfaUsed, account, userName: 'alice' }));
    }, { account: E2E_ACCOUNT_ID, password: PASSWORD });
    // Then the first tab now acts as alice, and says why
    await first.getByLabel('Signed in as').filter({ hasText: 'alice @ 123456789012' }).waitFor();
    await first.getByRole('status').filter({ hasText: "This browser signed in again in another tab, which ended this tab's session: this tab now uses the new one (alice @ 123456789012)." }).waitFor();
    await first.getByLabel('User name', { exact: true }).fill('made-by-first-tab');
    await first.getByRole('button', { name: 'Create user' }).click();
    await first.getByRole('status').filter({ hasText: 'Created user made-by-first-tab.' }).waitFor();
  });

  it('says the session ended, not that the CSRF token is missing, when a call finds it replaced', async () => {
    // Given the browser's cookie replaced behind the console's back (a sign-in the tabs were not told of)
    await first.evaluate(async ({ account, password }) => {
      await fetch('/signin', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ account, userName: 'alice', password }) });
    }, { account: E2E_ACCOUNT_ID, password: PASSWORD });
    // When the first tab makes a call with its token
    await first.getByLabel('User name', { exact: true }).fill('never-made');
    await first.getByRole('button', { name: 'Create user' }).click();
    // Then it is on the sign-in page, told to sign in again
    await first.getByRole('heading', { name: 'Sign in' }).waitFor();
    await first.getByText('Your session has ended. Sign in again.').waitFor();
    expect(await first.getByText(/CSRF/).count()).toBe(0);
    // and so is the other tab: the session it shared is over
    await second.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  it('signs out after 15 minutes without input in any tab, not in each', async () => {
    const idleContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    idleContext.setDefaultTimeout(10_000);
    const [busy, quiet] = [await idleContext.newPage(), await idleContext.newPage()];
    // One clock for the browser's pages
    await idleContext.clock.install();
    await busy.goto(`${t.url}/console/`);
    await signIn(busy, { account: E2E_ACCOUNT_ID, userName: 'alice', password: PASSWORD });
    await busy.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await quiet.goto(`${t.url}/console/#/groups`);
    await quiet.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    // Given input in one tab after 10 minutes
    await idleContext.clock.fastForward('10:00');
    await busy.keyboard.press('Shift');
    // When the other tab has had none for 15 minutes, the session goes on
    await idleContext.clock.fastForward('05:30');
    await quiet.waitForTimeout(300);
    expect(await quiet.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    expect(await busy.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    // Then 15 minutes after the last input anywhere, it ends
    await idleContext.clock.fastForward('10:00');
    await quiet.getByText(/You were signed out after 15 minutes without activity\.|Your session has ended\. Sign in again\./).waitFor();
    await busy.getByRole('heading', { name: 'Sign in' }).waitFor();
    await idleContext.close();
  });

  it('shares input that never pauses for a second: the quiet tab does not sign the browser out', async () => {
    const idleContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    idleContext.setDefaultTimeout(10_000);
    const [busy, quiet] = [await idleContext.newPage(), await idleContext.newPage()];
    await idleContext.clock.install();
    await busy.goto(`${t.url}/console/`);
    await signIn(busy, { account: E2E_ACCOUNT_ID, userName: 'alice', password: PASSWORD });
    await busy.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await quiet.goto(`${t.url}/console/#/groups`);
    await quiet.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    // Given steady input in one tab, every 900 ms of a paused clock for 16 minutes (typing, a
    // scroll wheel: never a pause of a second, whatever the host's speed)
    await idleContext.clock.pauseAt(Date.now() + 5_000);
    for (let ms = 0; ms < 16 * 60_000; ms += 900) {
      await busy.keyboard.press('Shift');
      await idleContext.clock.fastForward(900);
    }
    // Then neither tab was signed out
    await quiet.waitForTimeout(300);
    expect(await quiet.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    expect(await busy.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    await idleContext.close();
  }, 120_000);
});
