/**
 * The web console's inline policies in Chromium, for a user, a group and a role: add one (a mistake
 * flagged at its line while typing, and AWS's refusal of it shown), open and edit it, delete it —
 * each checked through the SDK, the calls recorded in the trail as the console's.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetGroupPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListGroupPoliciesCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  PutRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { assertConsoleBuilt, CONSOLE_DIST, launchChromium, screenshot, seriousAxeViolations, signIn } from './helpers/console-browser.js';

const PASSWORD = 'Inline-Passw0rd-321!';
const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] }, null, 2);
/** `Effect` misspelt on line 5: the editor marks that line. */
const BAD = ['{', '  "Version": "2012-10-17",', '  "Statement": [', '    {', '      "Efect": "Allow",', '      "Action": "s3:GetObject",', '      "Resource": "*"', '    }', '  ]', '}'].join('\n');

type Entity = { route: string; name: string; list: (iam: IAMClient) => Promise<string[]>; get: (iam: IAMClient, policy: string) => Promise<string> };
const ENTITIES: Entity[] = [
  {
    route: 'users',
    name: 'ursula',
    list: async (iam) => (await iam.send(new ListUserPoliciesCommand({ UserName: 'ursula' }))).PolicyNames!,
    get: async (iam, p) => decodeURIComponent((await iam.send(new GetUserPolicyCommand({ UserName: 'ursula', PolicyName: p }))).PolicyDocument!),
  },
  {
    route: 'groups',
    name: 'readers',
    list: async (iam) => (await iam.send(new ListGroupPoliciesCommand({ GroupName: 'readers' }))).PolicyNames!,
    get: async (iam, p) => decodeURIComponent((await iam.send(new GetGroupPolicyCommand({ GroupName: 'readers', PolicyName: p }))).PolicyDocument!),
  },
  {
    route: 'roles',
    name: 'builder',
    list: async (iam) => (await iam.send(new ListRolePoliciesCommand({ RoleName: 'builder' }))).PolicyNames!,
    get: async (iam, p) => decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: 'builder', PolicyName: p }))).PolicyDocument!),
  },
];

describe('web console inline policies in Chromium', () => {
  let t: TestCastellan;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await assertConsoleBuilt();
    t = await startTestCastellan({}, { consoleDir: CONSOLE_DIST });
    const iam = t.iam();
    await iam.send(new CreateUserCommand({ UserName: 'admin' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'admin', Password: PASSWORD }));
    await iam.send(new CreateUserCommand({ UserName: 'ursula' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'readers' }));
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await iam.send(new CreateRoleCommand({ RoleName: 'builder', AssumeRolePolicyDocument: trust }));
    // One stored minified, as an SDK would: the console shows it pretty-printed.
    await iam.send(new PutRolePolicyCommand({ RoleName: 'builder', PolicyName: 'existing', PolicyDocument: JSON.stringify(JSON.parse(doc('ec2:Describe*'))) }));
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    await page.goto(`${t.url}/console/`);
    await signIn(page, { account: E2E_ACCOUNT_ID, userName: 'admin', password: PASSWORD });
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  const section = () => page.getByRole('region', { name: 'Inline policies' });

  it.each(ENTITIES)('adds, edits and deletes an inline policy of $route/$name', async (entity) => {
    await page.goto(`${t.url}/console/#/${entity.route}/${entity.name}`);
    await section().getByRole('button', { name: 'Add inline policy' }).click();
    await section().getByLabel('Inline policy name').fill('app-access');
    const editor = section().getByLabel('Policy document');
    await editor.fill(BAD);
    // Flagged at its line while typing, before any call.
    await section().locator('.gutter-line.problem-error[data-line="5"]').waitFor();
    await section().getByText(/^Line 5/).waitFor();
    if (entity.route === 'users') {
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'inline-policies');
    }
    // Sent anyway, AWS's refusal is shown and nothing is stored.
    await section().getByRole('button', { name: 'Save inline policy' }).click();
    await section().getByRole('alert').filter({ hasText: /^MalformedPolicyDocument/ }).waitFor();
    expect(await entity.list(t.iam())).not.toContain('app-access');

    await editor.fill(doc('s3:GetObject'));
    await section().getByText('No problems: the policy is valid.').waitFor();
    await section().getByRole('button', { name: 'Save inline policy' }).click();
    await section().getByText('Saved inline policy app-access.').waitFor();
    expect(JSON.parse(await entity.get(t.iam(), 'app-access'))).toEqual(JSON.parse(doc('s3:GetObject')));

    await section().getByRole('button', { name: 'Edit inline policy app-access' }).click();
    expect(JSON.parse(await editor.inputValue())).toEqual(JSON.parse(doc('s3:GetObject')));
    await editor.fill(doc('s3:PutObject'));
    await section().getByRole('button', { name: 'Save inline policy' }).click();
    await section().getByText('Saved inline policy app-access.').waitFor();
    expect(JSON.parse(await entity.get(t.iam(), 'app-access'))).toEqual(JSON.parse(doc('s3:PutObject')));

    const deleteButton = section().getByRole('button', { name: 'Delete inline policy app-access', exact: true });
    await deleteButton.click();
    // Cancel gives the keyboard back to the button that asked (it was dropped on the page).
    await section().getByRole('button', { name: 'Cancel' }).click();
    expect(await deleteButton.evaluate((b) => b === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true);
    await deleteButton.click();
    await section().getByRole('button', { name: 'Yes, delete' }).click();
    await section().getByText('Deleted inline policy app-access.').waitFor();
    expect(await entity.list(t.iam())).not.toContain('app-access');
  });

  it('opens a policy stored minified as readable, line-numbered JSON', async () => {
    await page.goto(`${t.url}/console/#/roles/builder`);
    await section().getByRole('button', { name: 'Edit inline policy existing' }).click();
    expect(await section().getByLabel('Policy document').inputValue()).toBe(doc('ec2:Describe*'));
    expect(await section().locator('.gutter-line').count()).toBe(doc('ec2:Describe*').split('\n').length);
  });

  it('records the console\'s calls in the trail as the signed-in user\'s', async () => {
    const trail = new CloudTrailClient({ endpoint: t.url, region: 'us-east-1', credentials: t.root, maxAttempts: 1 });
    const lookup = async (name: string) => (await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] }))).Events ?? [];
    await expect.poll(async () => (await lookup('DeleteGroupPolicy')).length).toBe(1);
    for (const name of ['PutUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'DeleteUserPolicy', 'DeleteRolePolicy']) {
      const events = await lookup(name);
      expect(events.length, name).toBeGreaterThanOrEqual(1);
      const consoleEvents = events.map((e) => JSON.parse(e.CloudTrailEvent!) as { userIdentity: { userName?: string }; userAgent: string }).filter((r) => r.userIdentity.userName === 'admin');
      expect(consoleEvents.length, name).toBeGreaterThanOrEqual(1);
      expect(consoleEvents.every((r) => r.userAgent.startsWith('castellan-console/')), name).toBe(true);
    }
  });
});
