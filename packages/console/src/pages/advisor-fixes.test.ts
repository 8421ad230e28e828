import { describe, expect, it } from 'vitest';
import { safeFix, shellWords, type AdvisorFinding } from './advisor-fixes.js';

const finding = (command: string, extra: Partial<AdvisorFinding> = {}): AdvisorFinding => ({
  CheckId: 'x',
  Practice: 2,
  Severity: 'high',
  Title: 't',
  Entities: [],
  Why: 'w',
  Fix: { Kind: 'command', Command: command },
  ...extra,
});

describe('shellWords', () => {
  it.each([
    ["aws iam detach-user-policy --user-name 'o'\\''brien' --policy-arn x", ['aws', 'iam', 'detach-user-policy', '--user-name', "o'brien", '--policy-arn', 'x']],
    ['a && b  # then: c', ['a', '&&', 'b', '#', 'then:', 'c']],
    ['a "b c" d\\ e', ['a', 'b c', 'd e']],
  ])('%s', (line, words) => {
    expect(shellWords(line)).toEqual(words);
  });
});

describe('safeFix', () => {
  const calls = async (command: string, extra?: Partial<AdvisorFinding>) => {
    const fix = safeFix(finding(command, extra), 'me');
    return fix ? { label: fix.label, calls: await fix.calls(async () => ({})) } : undefined;
  };

  it.each([
    [
      'aws iam update-account-password-policy --minimum-password-length 14 --password-reuse-prevention 24 --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters',
      [{ action: 'UpdateAccountPasswordPolicy', params: { MinimumPasswordLength: 14, PasswordReusePrevention: 24, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true } }],
    ],
    [
      'aws iam detach-user-policy --user-name ops --policy-arn arn:aws:iam::aws:policy/AdministratorAccess && aws iam detach-role-policy --role-name r --policy-arn arn:aws:iam::aws:policy/AdministratorAccess',
      [
        { action: 'DetachUserPolicy', params: { UserName: 'ops', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } },
        { action: 'DetachRolePolicy', params: { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } },
      ],
    ],
    ["aws iam detach-group-policy --group-name 'a b' --policy-arn arn:x", [{ action: 'DetachGroupPolicy', params: { GroupName: 'a b', PolicyArn: 'arn:x' } }]],
    ['aws iam update-access-key --user-name u --access-key-id AKIAIOSFODNN7EXAMPLE --status Inactive', [{ action: 'UpdateAccessKey', params: { UserName: 'u', AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', Status: 'Inactive' } }]],
  ])('applies %s', async (command, expected) => {
    expect((await calls(command))?.calls).toEqual(expected);
  });

  it.each([
    ['aws iam update-account-password-policy --minimum-password-length 14', [['iam:UpdateAccountPasswordPolicy', '*']]],
    [
      'aws iam detach-user-policy --user-name ops --policy-arn arn:x && aws iam detach-role-policy --role-name r --policy-arn arn:x',
      [['iam:DetachUserPolicy', 'arn:aws:iam::${Account}:user/ops'], ['iam:DetachRolePolicy', 'arn:aws:iam::${Account}:role/r']],
    ],
    ['aws iam detach-group-policy --group-name g --policy-arn arn:x', [['iam:DetachGroupPolicy', 'arn:aws:iam::${Account}:group/g']]],
    ['aws iam update-access-key --user-name u --access-key-id AKIAIOSFODNN7EXAMPLE --status Inactive', [['iam:UpdateAccessKey', 'arn:aws:iam::${Account}:user/u']]],
  ])('asks, before %s, whether the user may make each call (the Apply button is disabled if not)', (command, needs) => {
    expect(safeFix(finding(command), 'me')!.needs.map((n) => [n.action, n.resource])).toEqual(needs);
  });

  it.each([
    ['a user in a path', 'aws iam detach-user-policy --user-name bob --policy-arn arn:x', { Type: 'user', Name: 'bob', Arn: 'arn:aws:iam::123456789012:user/team/bob' }, 'arn:aws:iam::123456789012:user/team/bob'],
    ['a role in a path', 'aws iam detach-role-policy --role-name r --policy-arn arn:x', { Type: 'role', Name: 'r', Arn: 'arn:aws:iam::123456789012:role/svc/r' }, 'arn:aws:iam::123456789012:role/svc/r'],
    ['a group in a path', 'aws iam detach-group-policy --group-name g --policy-arn arn:x', { Type: 'group', Name: 'g', Arn: 'arn:aws:iam::123456789012:group/ops/g' }, 'arn:aws:iam::123456789012:group/ops/g'],
    ['another entity of that name and type only', 'aws iam detach-user-policy --user-name bob --policy-arn arn:x', { Type: 'role', Name: 'bob', Arn: 'arn:aws:iam::123456789012:role/x/bob' }, 'arn:aws:iam::${Account}:user/bob'],
    ['an entity without its ARN', 'aws iam detach-user-policy --user-name bob --policy-arn arn:x', { Type: 'user', Name: 'bob' }, 'arn:aws:iam::${Account}:user/bob'],
  ])('asks about %s by the ARN the finding gives', (_what, command, entity, resource) => {
    // A policy on user/team/* allows user/team/bob: asking about the path-less ARN would disable Apply wrongly
    expect(safeFix(finding(command, { Entities: [entity] }), 'me')!.needs.map((n) => n.resource)).toEqual([resource]);
  });

  it('asks about the unused key\'s user by the ARN the finding gives', () => {
    const fix = safeFix(finding('x', { CheckId: 'unused-credentials', Entities: [{ Type: 'user', Name: 'olga', Arn: 'arn:aws:iam::123456789012:user/team/olga' }], Details: 'access key 1 not used for 90 days' }), 'me')!;
    expect(fix.needs).toEqual([{ action: 'iam:UpdateAccessKey', resource: 'arn:aws:iam::123456789012:user/team/olga' }]);
  });

  it.each([
    ['a placeholder', 'aws iam update-access-key --user-name u --access-key-id KEY_ID --status Inactive'],
    ['a step left to a person', 'aws iam list-access-keys --user-name u  # then: aws iam update-access-key --user-name u --access-key-id UNUSED_KEY_ID --status Inactive'],
    ['a deletion', "aws iam delete-user-policy --user-name u --policy-name p"],
    ['a command not on the list', 'aws iam create-group --group-name g && aws iam detach-user-policy --user-name u --policy-arn arn:x'],
    ['an unknown option', 'aws iam detach-user-policy --user-name u --policy-arn arn:x --profile prod'],
    ['activating a key', 'aws iam update-access-key --user-name u --access-key-id AKIAIOSFODNN7EXAMPLE --status Active'],
    ['another service', 'aws cloudtrail create-trail --name t --s3-bucket-name b'],
    ['the signed-in user', 'aws iam detach-user-policy --user-name me --policy-arn arn:x'],
    ['a policy diff', ''],
  ])('leaves %s to a person', async (_, command) => {
    expect(await calls(command)).toBeUndefined();
  });

  it("finds the unused key by its slot among the user's keys, and refuses one used since", async () => {
    const unused = finding('aws iam update-access-key --user-name olga --access-key-id KEY_ID --status Inactive', {
      CheckId: 'unused-credentials',
      Entities: [{ Type: 'user', Name: 'olga' }],
      Details: 'access key 2 not used for 60 days',
    });
    const old = new Date(Date.now() - 70 * 86_400_000).toISOString();
    const keys = [
      { AccessKeyId: 'AKIAFIRSTFIRSTFIRST1', Status: 'Active', CreateDate: new Date(Date.now() - 80 * 86_400_000).toISOString() },
      { AccessKeyId: 'AKIASECONDSECONDSEC2', Status: 'Active', CreateDate: old },
    ];
    const fix = safeFix(unused, 'me')!;
    expect(fix.label).toBe("Deactivate olga's unused access key 2");
    expect(fix.needs).toEqual([{ action: 'iam:UpdateAccessKey', resource: 'arn:aws:iam::${Account}:user/olga' }]);
    const answer = (lastUsed: string | undefined) => async (action: string) =>
      action === 'ListAccessKeys' ? { AccessKeyMetadata: [keys[1], keys[0]] } : { AccessKeyLastUsed: lastUsed ? { LastUsedDate: lastUsed } : {} };
    expect(await fix.calls(answer(undefined))).toEqual([{ action: 'UpdateAccessKey', params: { UserName: 'olga', AccessKeyId: 'AKIASECONDSECONDSEC2', Status: 'Inactive' } }]);
    await expect(fix.calls(answer(new Date().toISOString()))).rejects.toThrow(/used since the report/);
    expect(safeFix(unused, 'olga')).toBeUndefined();
  });
});
