/**
 * The web console as a new administrator meets it, in Chromium against a started server: root signs
 * in, creates a user with a console password (which must be changed at first sign-in, so the
 * console attaches IAMUserChangePassword, as AWS's does), a group whose page adds and removes its
 * members, a policy written in the editor and attached to the group; the user signs in, changes the
 * password, finds the device a reloaded enrolment left behind (named after her: her own page offers
 * no other unassigned device), deletes it and enrols MFA, and is refused what the policy does not
 * allow, each refusal offering why; root sees the account's other unassigned devices apart on her
 * page, reads why in the audit trail and lists the refused calls.
 * Along the way: focus and the document title follow the page.
 */
import { CreateUserCommand, CreateVirtualMFADeviceCommand, DeleteUserPolicyCommand, DeleteVirtualMFADeviceCommand, GetGroupCommand, ListAttachedUserPoliciesCommand, ListMFADevicesCommand, ListUsersCommand, ListVirtualMFADevicesCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRootPassword } from './helpers/root-password.js';
import { codeAt, timeStep } from '../../packages/server/src/services/iam/totp.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { assertConsoleBuilt, CONSOLE_DIST, launchChromium, seriousAxeViolations, signIn } from './helpers/console-browser.js';

const ROOT_PASSWORD = 'Root-Console-Passw0rd!';
const FIRST_PASSWORD = 'Alice-First-Passw0rd-1!';
const ALICE_PASSWORD = 'Alice-Own-Passw0rd-22!';
const SELF_SERVICE = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Read', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' },
      {
        Sid: 'OwnMfa',
        Effect: 'Allow',
        Action: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:DeleteVirtualMFADevice'],
        Resource: ['arn:aws:iam::*:mfa/${aws:username}', 'arn:aws:iam::*:user/${aws:username}'],
      },
    ],
  },
  null,
  2,
);

type Doc = { activeElement: { tagName: string; textContent: string } | null; title: string };
const focused = (page: Page) => page.evaluate(() => {
  const d = (globalThis as unknown as { document: Doc }).document;
  return { tag: d.activeElement?.tagName, text: d.activeElement?.textContent, title: d.title };
});

describe('web console walked through by a new administrator in Chromium', () => {
  let t: TestCastellan;
  let browser: Browser;
  let page: Page;
  const members = async () => (await t.iam().send(new GetGroupCommand({ GroupName: 'developers' }))).Users!.map((u) => u.UserName).sort();

  beforeAll(async () => {
    await assertConsoleBuilt();
    t = await startTestCastellan({}, { consoleDir: CONSOLE_DIST });
    await setRootPassword(t.server.store, { accountId: E2E_ACCOUNT_ID, password: ROOT_PASSWORD });
    for (const name of ['bob', 'carol']) await t.iam().send(new CreateUserCommand({ UserName: name }));
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('signs root in, and creates a user whose first password must be changed, attaching IAMUserChangePassword', async () => {
    await page.goto(`${t.url}/console/`);
    expect((await focused(page)).title).toBe('Sign in – Castellan console');
    await signIn(page, { account: E2E_ACCOUNT_ID, userName: 'root', password: ROOT_PASSWORD });
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    // The sign-in form that had the keyboard is gone: it is on the page's heading now.
    expect(await focused(page)).toEqual({ tag: 'H1', text: 'Users', title: 'Users – Castellan console' });
    await page.getByLabel('User name', { exact: true }).fill('alice');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('link', { name: 'alice' }).click();
    await page.getByRole('heading', { name: 'User alice' }).waitFor();
    expect(await focused(page)).toEqual({ tag: 'H1', text: 'Users', title: 'alice – Users – Castellan console' });
    await page.getByLabel('Password', { exact: true }).fill(FIRST_PASSWORD);
    expect(await page.getByLabel('Require a new password at next sign-in (attaches IAMUserChangePassword)').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Set console password' }).click();
    await page.getByRole('status').filter({ hasText: 'Console password set. IAMUserChangePassword is attached, so alice can choose a new one at sign-in.' }).waitFor();
    const attached = (await t.iam().send(new ListAttachedUserPoliciesCommand({ UserName: 'alice' }))).AttachedPolicies!.map((p) => p.PolicyArn);
    expect(attached).toEqual(['arn:aws:iam::aws:policy/IAMUserChangePassword']);
  });

  it('creates a group and adds and removes its members from the group\'s page, through the audited API', async () => {
    await page.getByRole('link', { name: 'Groups' }).click();
    await page.getByLabel('Group name').fill('developers');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('link', { name: 'developers' }).click();
    await page.getByRole('heading', { name: 'Group developers' }).waitFor();
    const steps: Array<{ act: 'add' | 'remove'; user: string; notice: string; after: string[] }> = [
      { act: 'add', user: 'alice', notice: 'Added alice to developers.', after: ['alice'] },
      { act: 'add', user: 'bob', notice: 'Added bob to developers.', after: ['alice', 'bob'] },
      { act: 'remove', user: 'bob', notice: 'Removed bob from developers.', after: ['alice'] },
    ];
    for (const step of steps) {
      if (step.act === 'add') {
        await page.getByLabel('User to add').fill(step.user);
        await page.getByRole('button', { name: 'Add user to group' }).click();
      } else {
        // Asked first; the keyboard then starts again at the section's heading, not the page's body.
        await page.getByRole('button', { name: `Remove ${step.user} from developers`, exact: true }).click();
        await page.getByRole('group', { name: `Remove ${step.user} from developers?` }).getByRole('button', { name: 'Yes, remove' }).click();
      }
      await page.getByRole('status').filter({ hasText: step.notice }).waitFor();
      expect(await members()).toEqual(step.after);
      const shown = page.getByRole('region', { name: 'Members' }).getByRole('link');
      await expect.poll(async () => (await shown.allTextContents()).sort()).toEqual(step.after);
      if (step.act === 'remove') await expect.poll(async () => { const f = await focused(page); return `${f.tag} ${f.text}`; }).toBe('H3 Members');
    }
    // The name field suggests the account's users who are not members yet; a user's page, the groups it is not in.
    const suggested = (id: string) => page.locator(`datalist#${id} option`).evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value).sort());
    await expect.poll(() => suggested('group-member-candidates')).toEqual(['bob', 'carol']);
    // A user who does not exist: IAM's NoSuchEntity, nothing changed.
    await page.getByLabel('User to add').fill('nobody');
    await page.getByRole('button', { name: 'Add user to group' }).click();
    await page.getByRole('alert').filter({ hasText: /^NoSuchEntity: / }).waitFor();
    expect(await members()).toEqual(['alice']);
    // The calls went through the console's API path: authorized as root, recorded with the console's user agent.
    // Three changes and the refused add, newest first; records are written in batches, so wait for all four.
    type Membership = { eventName: string; errorCode?: string; userAgent: string; userIdentity: { type: string } };
    const memberships = async () => {
      const events = await t.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'developers' }] }));
      return events.Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as Membership).filter((r) => r.eventName === 'AddUserToGroup' || r.eventName === 'RemoveUserFromGroup');
    };
    const names = ['AddUserToGroup', 'RemoveUserFromGroup', 'AddUserToGroup', 'AddUserToGroup'];
    await expect.poll(async () => (await memberships()).map((r) => r.eventName), { timeout: 5_000 }).toEqual(names);
    const recorded = await memberships();
    expect(recorded.map((r) => r.errorCode)).toEqual(['NoSuchEntityException', undefined, undefined, undefined]);
    for (const r of recorded) expect(r).toMatchObject({ userAgent: expect.stringMatching(/^castellan-console\//), userIdentity: { type: 'Root' } });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'alice' }).click();
    await page.getByRole('heading', { name: 'User alice' }).waitFor();
    await page.getByRole('region', { name: 'Groups' }).getByRole('link', { name: 'developers' }).waitFor();
    await expect.poll(() => suggested('user-group-candidates')).toEqual([]);
    await page.goto(`${t.url}/console/#/users/carol`);
    await expect.poll(() => suggested('user-group-candidates')).toEqual(['developers']);
  });

  it('writes a policy in the editor and attaches it to the group', async () => {
    await page.getByRole('link', { name: 'Policies', exact: true }).click();
    await page.getByLabel('Policy name').fill('self-service');
    await page.getByLabel('Policy document').fill(SELF_SERVICE);
    await page.getByText('No problems: the policy is valid.').waitFor();
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.getByRole('link', { name: 'self-service' }).waitFor();
    await page.goto(`${t.url}/console/#/groups/developers`);
    await page.getByLabel('Policy ARN to attach').fill(`arn:aws:iam::${E2E_ACCOUNT_ID}:policy/self-service`);
    await page.getByRole('button', { name: 'Attach policy' }).click();
    await page.getByText(`arn:aws:iam::${E2E_ACCOUNT_ID}:policy/self-service`, { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You signed out.').waitFor();
    // The next person to sign in here does not land on root's last page.
    expect(new URL(page.url()).hash).toBe('#/users');
  });

  it('lets the user choose a new password at sign-in (the attached IAMUserChangePassword allows it)', async () => {
    await page.goto(`${t.url}/console/#/users/alice`);
    await page.getByText('You signed out.').waitFor();
    await signIn(page, { account: E2E_ACCOUNT_ID, userName: 'alice', password: FIRST_PASSWORD });
    await page.getByRole('heading', { name: 'Change your password' }).waitFor();
    // What happened before this form was used is no longer news.
    expect(await page.getByText('You signed out.').count()).toBe(0);
    await page.getByLabel('Current password').fill(FIRST_PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill(ALICE_PASSWORD);
    await page.getByLabel('Confirm new password').fill(ALICE_PASSWORD);
    await page.getByRole('button', { name: 'Change password and sign in' }).click();
    await page.getByRole('heading', { name: 'User alice' }).waitFor();
  });

  it('lists the unassigned device a reloaded enrolment left under the user\'s name, and no other on her own page, deletes it, and enrols MFA', async () => {
    const serial = `arn:aws:iam::${E2E_ACCOUNT_ID}:mfa/alice`;
    const otherName = `arn:aws:iam::${E2E_ACCOUNT_ID}:mfa/alice-not-hers`;
    const unassigned = async () => (await t.iam().send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }))).VirtualMFADevices!.map((d) => d.SerialNumber).sort();
    // A device enrolled under another name: on alice's own page it is not offered (only an administrator's view lists the account's others).
    await t.iam().send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice-not-hers' }));
    await page.getByRole('button', { name: 'Assign virtual MFA device' }).click();
    await page.getByRole('img', { name: 'QR code to scan with an authenticator app' }).waitFor();
    // A reload (like a closed tab) runs no cleanup: the device stays, unassigned, its name taken.
    await page.reload();
    const leftovers = page.getByRole('region', { name: 'Unassigned virtual MFA devices' });
    await leftovers.getByText(serial, { exact: true }).waitFor();
    expect(await leftovers.getByRole('listitem').allTextContents()).toEqual([`${serial} (named after alice) Delete`]);
    expect(await page.getByRole('region', { name: 'Unassigned devices of this account' }).count()).toBe(0);
    expect(await unassigned()).toEqual([serial, otherName].sort());
    await page.getByRole('button', { name: 'Assign virtual MFA device' }).click();
    await page.getByRole('alert').filter({ hasText: /^EntityAlreadyExists: / }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await leftovers.getByRole('button', { name: `Delete unassigned MFA device ${serial}`, exact: true }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('status').filter({ hasText: `Deleted ${serial}.` }).waitFor();
    await leftovers.getByText(serial, { exact: true }).waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: `Delete unassigned MFA device ${otherName}` }).count()).toBe(0);
    expect(await unassigned()).toEqual([otherName]);
    // The name is free again: the enrolment goes through.
    await page.getByRole('button', { name: 'Assign virtual MFA device' }).click();
    const seed = (await page.getByTestId('mfa-seed').textContent())!;
    // While it is being enrolled, the new device is not offered for deletion.
    expect(await leftovers.getByRole('listitem').count()).toBe(0);
    const step = timeStep(new Date());
    await page.getByLabel('First code').fill(codeAt(seed, step - 1));
    await page.getByLabel('Second code (the next one)').fill(codeAt(seed, step));
    await page.getByRole('button', { name: 'Enable MFA device' }).click();
    await page.getByRole('status').filter({ hasText: 'MFA device enabled.' }).waitFor();
    expect((await t.iam().send(new ListMFADevicesCommand({ UserName: 'alice' }))).MFADevices!.map((d) => d.SerialNumber)).toEqual([serial]);
    expect(await leftovers.getByRole('listitem').count()).toBe(0);
    await t.iam().send(new DeleteVirtualMFADeviceCommand({ SerialNumber: otherName }));
  });

  it('disables what the user\'s policy does not allow, saying why; asked nothing, shows AWS\'s AccessDenied; and changes nothing', async () => {
    const refusals: Array<{ where: string; control: string; act: () => Promise<void>; action: string; resource: string }> = [
      {
        where: 'groups/developers',
        control: 'Add user to group',
        act: async () => {
          await page.getByLabel('User to add').fill('carol');
          await page.getByRole('button', { name: 'Add user to group' }).click();
        },
        action: 'iam:AddUserToGroup',
        resource: `arn:aws:iam::${E2E_ACCOUNT_ID}:group/developers`,
      },
      {
        where: 'groups/developers',
        control: 'Remove alice from developers',
        act: async () => {
          await page.getByRole('button', { name: 'Remove alice from developers', exact: true }).click();
          await page.getByRole('button', { name: 'Yes, remove' }).click();
        },
        action: 'iam:RemoveUserFromGroup',
        resource: `arn:aws:iam::${E2E_ACCOUNT_ID}:group/developers`,
      },
      {
        where: 'users',
        control: 'Create user',
        act: async () => {
          await page.getByLabel('User name', { exact: true }).fill('mallory');
          await page.getByRole('button', { name: 'Create user' }).click();
        },
        action: 'iam:CreateUser',
        resource: `arn:aws:iam::${E2E_ACCOUNT_ID}:user/mallory`,
      },
    ];
    // Listing the account's unassigned devices only offers leftovers to delete: refused it, the user's
    // page shows none and no error (a refusal there would stay on the page for good).
    await t.iam().send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'no-device-listing', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:ListVirtualMFADevices', Resource: '*' }] }) }));
    await page.goto(`${t.url}/console/#/users/alice`);
    const listing = page.waitForResponse((res) => res.request().postData()?.includes('Action=ListVirtualMFADevices') === true);
    await page.reload();
    expect((await listing).status()).toBe(403);
    const mfa = page.getByRole('region', { name: 'MFA devices' });
    await mfa.getByText(`arn:aws:iam::${E2E_ACCOUNT_ID}:mfa/alice`, { exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Access keys' }).waitFor();
    // A frame after the refusal arrived and the rest of the page rendered, it would be showing.
    await page.evaluate(() => new Promise((resolve) => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => setTimeout(resolve, 50))));
    expect(await page.getByRole('alert').allTextContents()).toEqual([]);
    expect(await page.getByRole('region', { name: 'Unassigned virtual MFA devices' }).count()).toBe(0);
    await t.iam().send(new DeleteUserPolicyCommand({ UserName: 'alice', PolicyName: 'no-device-listing' }));
    const why = page.getByRole('region', { name: 'Why this was denied' });
    // The console asks what she may do (castellan:GetCallerPermissions): the controls her policy does
    // not allow are disabled, each saying why, with the same "Why was this denied?".
    for (const r of refusals) {
      await page.goto(`${t.url}/console/#/${r.where}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await expect.poll(() => page.getByRole('button', { name: r.control, exact: true }).isDisabled(), { message: r.control }).toBe(true);
      await page.getByText(`You may not: ${r.action}, denied because no identity-based policy allows it.`).waitFor();
    }
    await page.getByRole('button', { name: 'Why was this denied?' }).click();
    await why.getByText(/^The authorization message could not be decoded as you \(AccessDenied: .*sts:DecodeAuthorizationMessage/).waitFor();
    // Refused that question, the console leaves every control to the server, which refuses each click.
    await t.iam().send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'no-asking', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'castellan:GetCallerPermissions', Resource: '*' }] }) }));
    await page.reload();
    for (const r of refusals) {
      await page.goto(`${t.url}/console/#/${r.where}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await r.act();
      const expected = `AccessDenied: User: arn:aws:iam::${E2E_ACCOUNT_ID}:user/alice is not authorized to perform: ${r.action} on resource: ${r.resource} because no identity-based policy allows the ${r.action} action`;
      await page.getByRole('alert').filter({ hasText: expected }).waitFor();
      // The denial came with its encoded authorization message; alice may not decode it, and is told where to go.
      await page.getByRole('button', { name: 'Why was this denied?' }).click();
      await why.getByText(/^The authorization message could not be decoded as you \(AccessDenied: .*sts:DecodeAuthorizationMessage/).waitFor();
      expect(await why.getByLabel('Encoded authorization message').inputValue()).not.toBe('');
      expect(await why.getByRole('link', { name: 'Find it in the audit trail’s refused calls' }).getAttribute('href')).toBe('#/trail/refused');
    }
    expect(await seriousAxeViolations(page)).toEqual([]);
    // Allowed to decode, she reads which statements decided (none allowed it) and links to the policies named.
    await t.iam().send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'decode', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:DecodeAuthorizationMessage', Resource: '*' }] }) }));
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('button', { name: 'Why was this denied?', expanded: false }).waitFor();
    await page.getByRole('button', { name: 'Why was this denied?' }).click();
    await why.getByText('Implicitly denied: no statement allowed it.').waitFor();
    await why.getByText(`iam:CreateUser on arn:aws:iam::${E2E_ACCOUNT_ID}:user/mallory by arn:aws:iam::${E2E_ACCOUNT_ID}:user/alice`).waitFor();
    await why.getByText('None: nothing in the identity policies, boundary or session policies allows this action.').waitFor();
    await t.iam().send(new DeleteUserPolicyCommand({ UserName: 'alice', PolicyName: 'decode' }));
    await t.iam().send(new DeleteUserPolicyCommand({ UserName: 'alice', PolicyName: 'no-asking' }));
    expect(await members()).toEqual(['alice']);
    expect((await t.iam().send(new ListUsersCommand({}))).Users!.map((u) => u.UserName)).not.toContain('mallory');
    await page.getByRole('button', { name: 'Sign out' }).click();
    // Signed out once the sign-in page is back: the sign-out's own move to #/users must not land
    // after the next test has opened the trail.
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('shows root why a call was denied, on the audit trail page', async () => {
    await page.goto(`${t.url}/console/#/trail`);
    await signIn(page, { account: E2E_ACCOUNT_ID, userName: 'root', password: ROOT_PASSWORD });
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    // An administrator on another user's page: the account's unassigned devices not named after her, in their own list.
    const spare = `arn:aws:iam::${E2E_ACCOUNT_ID}:mfa/spare-phone`;
    await t.iam().send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'spare-phone' }));
    await page.goto(`${t.url}/console/#/users/alice`);
    const accountDevices = page.getByRole('region', { name: 'Unassigned devices of this account' });
    await accountDevices.getByText(spare, { exact: true }).waitFor();
    expect(await accountDevices.getByRole('listitem').allTextContents()).toEqual([`${spare} Delete`]);
    expect(await page.getByRole('region', { name: 'Unassigned virtual MFA devices' }).count()).toBe(0);
    await t.iam().send(new DeleteVirtualMFADeviceCommand({ SerialNumber: spare }));
    await page.goto(`${t.url}/console/#/trail`);
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Find events', level: 2 }).waitFor();
    await page.getByLabel('Lookup attribute').selectOption('EventName');
    await page.getByLabel('Value').fill('RemoveUserFromGroup');
    await page.getByRole('button', { name: 'Look up events' }).click();
    const denied = page.getByRole('row').filter({ hasText: 'alice' }).filter({ hasText: 'AccessDenied' });
    await denied.getByRole('button', { name: 'RemoveUserFromGroup' }).click();
    const why = page.getByRole('region', { name: 'Why was this denied?' });
    await why.getByText('Implicitly denied: no statement allowed it.').waitFor();
    await why.getByText('None: nothing in the identity policies, boundary or session policies allows this action.').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('lists only the refused calls, read page by page from the whole search', async () => {
    // Where a refusal's "Find it in the audit trail" leads: the refused calls of the last hour, at once,
    // even when followed from the trail page open with another search (the test before left one, for
    // RemoveUserFromGroup, in its form).
    expect(await page.getByLabel('Value').inputValue()).toBe('RemoveUserFromGroup');
    await page.goto(`${t.url}/console/#/trail/refused`);
    await page.getByRole('heading', { name: /^\d+ refused calls?$/ }).waitFor();
    expect(await page.getByLabel('Refused calls only').isChecked()).toBe(true);
    expect(await page.getByLabel('Value').inputValue()).toBe('');
    await page.getByText(/^\d+ events read, newest first, the whole search\.$/).waitFor();
    const rows = page.getByRole('table', { name: 'Refused calls, newest first' }).locator('tbody tr');
    const results = await rows.evaluateAll((trs) => trs.map((tr) => (tr as unknown as { cells: ArrayLike<{ textContent: string }> }).cells[4]!.textContent));
    expect(results.length).toBeGreaterThanOrEqual(6);
    // Denials (the Castellan API's in its JSON spelling), and alice's first sign-in, refused until she changed her password (recorded without an error code).
    expect(new Set(results)).toEqual(new Set(['AccessDenied', 'AccessDeniedException', 'Failure: Password change required']));
    // The refusals above are there (the ListVirtualMFADevices, the questions her Deny refused, three actions, four decodes and one more CreateUser), root's NoSuchEntity is not.
    const names = await rows.evaluateAll((trs) => trs.map((tr) => (tr as unknown as { cells: ArrayLike<{ textContent: string }> }).cells[1]!.textContent));
    for (const name of ['ListVirtualMFADevices', 'GetCallerPermissions', 'AddUserToGroup', 'RemoveUserFromGroup', 'CreateUser', 'DecodeAuthorizationMessage']) expect(names).toContain(name);
    expect(await rows.filter({ hasText: 'NoSuchEntity' }).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
});
