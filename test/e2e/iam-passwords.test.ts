import {
  ChangePasswordCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteAccountPasswordPolicyCommand,
  GetAccountPasswordPolicyCommand,
  GetLoginProfileCommand,
  IAMClient,
  PutUserPolicyCommand,
  UpdateAccountPasswordPolicyCommand,
  UpdateLoginProfileCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan } from './helpers/castellan.js';

type Server = Awaited<ReturnType<typeof startTestCastellan>>;

const NO_POLICY = { name: 'NoSuchEntityException', status: 404, message: `The Password Policy with domain name ${E2E_ACCOUNT_ID} cannot be found.` };

describe('the account password policy over the wire', () => {
  let s: Server;
  let iam: IAMClient;
  beforeAll(async () => {
    s = await startTestCastellan();
    iam = s.iam();
  });
  afterAll(() => s.dispose());

  it('has no policy at first, and AWS\'s default rules apply to passwords', async () => {
    expect(await sdkError(() => iam.send(new GetAccountPasswordPolicyCommand({})))).toMatchObject(NO_POLICY);
    expect(await sdkError(() => iam.send(new DeleteAccountPasswordPolicyCommand({})))).toMatchObject(NO_POLICY);
    await iam.send(new CreateUserCommand({ UserName: 'dee' }));
    expect(await sdkError(() => iam.send(new CreateLoginProfileCommand({ UserName: 'dee', Password: 'Ab1!' })))).toMatchObject({
      name: 'PasswordPolicyViolationException',
      status: 400,
      message: 'Password should have a minimum length of 8',
    });
    expect(await sdkError(() => iam.send(new CreateLoginProfileCommand({ UserName: 'dee', Password: 'abcdefg1' })))).toMatchObject({
      message: 'Password should meet 1 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one symbol',
    });
    await iam.send(new CreateLoginProfileCommand({ UserName: 'dee', Password: 'Abcdefg1' }));
  });

  it('stores every field, answers them as AWS does, and replaces the whole policy on update', async () => {
    await iam.send(new UpdateAccountPasswordPolicyCommand({
      MinimumPasswordLength: 10,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: true,
      MaxPasswordAge: 90,
      PasswordReusePrevention: 3,
      HardExpiry: false,
    }));
    expect((await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy).toEqual({
      MinimumPasswordLength: 10,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: true,
      ExpirePasswords: true,
      MaxPasswordAge: 90,
      PasswordReusePrevention: 3,
      HardExpiry: false,
    });
    expect(await sdkError(() => iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 5 })))).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(await sdkError(() => iam.send(new UpdateAccountPasswordPolicyCommand({ PasswordReusePrevention: 25 })))).toMatchObject({ name: 'ValidationError' });
    expect(await sdkError(() => iam.send(new UpdateAccountPasswordPolicyCommand({ MaxPasswordAge: 1096 })))).toMatchObject({ name: 'ValidationError' });
  });

  it.each([
    { user: 'rule-ok', password: 'Abcdefgh1!', broken: undefined },
    { user: 'rule-short', password: 'Abcdef1!', broken: 'Password should have a minimum length of 10' },
    { user: 'rule-noupper', password: 'abcdefgh1!', broken: 'Password should have at least one uppercase letter' },
    { user: 'rule-nolower', password: 'ABCDEFGH1!', broken: 'Password should have at least one lowercase letter' },
    { user: 'rule-nonumber', password: 'Abcdefghi!', broken: 'Password should have at least one number' },
    { user: 'rule-nosymbol', password: 'Abcdefghi1', broken: 'Password should have at least one symbol' },
  ])('enforces each rule of the policy: $user', async ({ user: name, password, broken }) => {
    await iam.send(new CreateUserCommand({ UserName: name }));
    const create = () => iam.send(new CreateLoginProfileCommand({ UserName: name, Password: password }));
    if (broken === undefined) {
      await create();
      expect((await iam.send(new GetLoginProfileCommand({ UserName: name }))).LoginProfile?.UserName).toBe(name);
    } else {
      expect(await sdkError(create)).toMatchObject({ name: 'PasswordPolicyViolationException', message: broken });
    }
  });

  it('lets a user change their own password with the old one, never to one of the last three', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'changer' }));
    await iam.send(new PutUserPolicyCommand({
      UserName: 'changer',
      PolicyName: 'own-password',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ChangePassword', Resource: `arn:aws:iam::${E2E_ACCOUNT_ID}:user/changer` }] }),
    }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'changer', Password: 'Passw0rd-one', PasswordResetRequired: true }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'changer' }));
    const asUser = s.iam({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });

    expect(await sdkError(() => asUser.send(new ChangePasswordCommand({ OldPassword: 'Wr0ng-password', NewPassword: 'Passw0rd-two' })))).toMatchObject({ name: 'AccessDenied', status: 403 });
    await asUser.send(new ChangePasswordCommand({ OldPassword: 'Passw0rd-one', NewPassword: 'Passw0rd-two' }));
    expect((await iam.send(new GetLoginProfileCommand({ UserName: 'changer' }))).LoginProfile?.PasswordResetRequired).toBe(false);
    await asUser.send(new ChangePasswordCommand({ OldPassword: 'Passw0rd-two', NewPassword: 'Passw0rd-three' }));
    for (const reused of ['Passw0rd-one', 'Passw0rd-two', 'Passw0rd-three']) {
      expect(await sdkError(() => asUser.send(new ChangePasswordCommand({ OldPassword: 'Passw0rd-three', NewPassword: reused })))).toMatchObject({
        name: 'PasswordPolicyViolationException',
        message: 'Password should not be one of your 3 previous passwords',
      });
    }
    // An administrator's reset is held to the same history.
    expect(await sdkError(() => iam.send(new UpdateLoginProfileCommand({ UserName: 'changer', Password: 'Passw0rd-two' })))).toMatchObject({ name: 'PasswordPolicyViolationException' });
    await asUser.send(new ChangePasswordCommand({ OldPassword: 'Passw0rd-three', NewPassword: 'Passw0rd-four' }));
    // The root has no password to change through this API.
    expect(await sdkError(() => iam.send(new ChangePasswordCommand({ OldPassword: 'Passw0rd-four', NewPassword: 'Passw0rd-five' })))).toMatchObject({ name: 'InvalidUserTypeException', status: 400 });

    // No password reaches the audit trail.
    // Refused calls are audited in batches (every 200 ms): wait for them rather than race the flush.
    const changesRecorded = async () => {
      for (const started = Date.now(); ; ) {
        const audit = await s.server.store.scanAuditEvents({ fromSeq: 0, limit: 100_000 });
        const changes = audit.filter((e) => e.eventName === 'ChangePassword');
        if (changes.length >= 6 || Date.now() - started > 5_000) return { audit, changes };
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const { audit, changes } = await changesRecorded();
    expect(changes.length).toBeGreaterThanOrEqual(6);
    for (const secret of ['Passw0rd-one', 'Passw0rd-two', 'Passw0rd-three', 'Passw0rd-four', 'Wr0ng-password']) {
      expect(audit.some((e) => e.recordJson.includes(secret))).toBe(false);
    }
    expect(JSON.parse(changes[0]!.recordJson).requestParameters).toEqual({ oldPassword: 'HIDDEN_DUE_TO_SECURITY_REASONS', newPassword: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
  });

  it('deletes the policy, and the default rules apply again', async () => {
    await iam.send(new DeleteAccountPasswordPolicyCommand({}));
    expect(await sdkError(() => iam.send(new GetAccountPasswordPolicyCommand({})))).toMatchObject(NO_POLICY);
    await iam.send(new CreateUserCommand({ UserName: 'after' }));
    expect(await sdkError(() => iam.send(new CreateLoginProfileCommand({ UserName: 'after', Password: 'abcdefgh' })))).toMatchObject({ name: 'PasswordPolicyViolationException' });
  });
});

describe('password expiry and users changing their own password, on a server whose clock the test moves', () => {
  const DAY = 24 * 60 * 60 * 1000;
  let offset = 0;
  let s: Server;
  beforeAll(async () => {
    s = await startTestCastellan({}, { clock: { now: () => new Date(Date.now() + offset) } });
  });
  afterAll(() => s.dispose());

  /** A client whose signing clock is the server's (SigV4 refuses a request more than 15 minutes off). */
  const client = (credentials = s.root) => new IAMClient({ endpoint: s.url, region: 'us-east-1', credentials, maxAttempts: 1, systemClockOffset: offset });

  it('AllowUsersToChangePassword lets a user without any policy change it; MaxPasswordAge with HardExpiry then stops them', async () => {
    await client().send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 8, AllowUsersToChangePassword: true, MaxPasswordAge: 1, HardExpiry: true }));
    await client().send(new CreateUserCommand({ UserName: 'eve' }));
    await client().send(new CreateLoginProfileCommand({ UserName: 'eve', Password: 'first-password' }));
    const { AccessKey } = await client().send(new CreateAccessKeyCommand({ UserName: 'eve' }));
    const eve = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };

    // The grant covers her own password and reading the policy, nothing else.
    expect((await client(eve).send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy?.AllowUsersToChangePassword).toBe(true);
    await client(eve).send(new ChangePasswordCommand({ OldPassword: 'first-password', NewPassword: 'second-password' }));
    expect(await sdkError(() => client(eve).send(new GetLoginProfileCommand({ UserName: 'eve' })))).toMatchObject({ name: 'AccessDenied' });

    // Two days later the password has expired, and HardExpiry keeps her from choosing a new one.
    offset = 2 * DAY;
    expect(await sdkError(() => client(eve).send(new ChangePasswordCommand({ OldPassword: 'second-password', NewPassword: 'third-password' })))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
      message: 'The password has expired and the account password policy (HardExpiry) requires an administrator to reset it.',
    });
    // An administrator resets it; she can change it again.
    await client().send(new UpdateLoginProfileCommand({ UserName: 'eve', Password: 'admin-reset-1', PasswordResetRequired: true }));
    await client(eve).send(new ChangePasswordCommand({ OldPassword: 'admin-reset-1', NewPassword: 'third-password' }));

    // Without AllowUsersToChangePassword (and no policy of her own) she may not.
    await client().send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 8 }));
    expect(await sdkError(() => client(eve).send(new ChangePasswordCommand({ OldPassword: 'third-password', NewPassword: 'fourth-password' })))).toMatchObject({ name: 'AccessDenied', status: 403 });
  });
});
