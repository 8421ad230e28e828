import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_SUMMARY, NOW, authorizationDetailsJson, baselineAccount, baselineReportRows, credentialReportCsv, trailRecord } from '../../../advisor/src/test-fixtures/test-account.js';
import { fetchLiveInputs, MAX_EVENT_PAGES } from './advise-live.js';

/** An SDK error as the client throws it. */
const sdkError = (name: string) => Object.assign(new Error(name), { name });

type Answers = Record<string, (input: Record<string, unknown>, call: number) => unknown>;

/** Real SDK clients whose `send` answers from `answers` by command name, counting the calls. */
function clients(iamAnswers: Answers, trailAnswers: Answers) {
  const calls: string[] = [];
  const fake = <C extends { send: unknown }>(client: C, answers: Answers): C => {
    (client as { send: unknown }).send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      calls.push(name);
      const answer = answers[name];
      if (!answer) throw new Error(`unexpected ${name}`);
      return answer(command.input, calls.filter((c) => c === name).length);
    };
    return client;
  };
  return {
    calls,
    live: { iam: fake(new IAMClient({ region: 'us-east-1' }), iamAnswers), cloudTrail: fake(new CloudTrailClient({ region: 'us-east-1' }), trailAnswers), sleep: async () => {} },
  };
}

const details = authorizationDetailsJson(baselineAccount()) as Record<string, unknown[]>;
const csv = credentialReportCsv(baselineReportRows());

const iamAnswers = (over: Answers = {}): Answers => ({
  GetAccountAuthorizationDetails: (input) =>
    input['Marker'] === undefined
      ? { UserDetailList: details['UserDetailList'], GroupDetailList: [], RoleDetailList: [], Policies: [], IsTruncated: true, Marker: 'm1' }
      : { UserDetailList: [], GroupDetailList: details['GroupDetailList'], RoleDetailList: details['RoleDetailList'], Policies: details['Policies'], IsTruncated: false },
  GenerateCredentialReport: (_input, call) => {
    if (call === 1) return { State: 'STARTED' };
    if (call === 2) throw sdkError('CredentialReportNotReadyException');
    return { State: 'COMPLETE' };
  },
  GetCredentialReport: () => ({ Content: new TextEncoder().encode(csv), GeneratedTime: NOW, ReportFormat: 'text/csv' }),
  GetAccountPasswordPolicy: () => {
    throw sdkError('NoSuchEntityException');
  },
  GetAccountSummary: () => ACCOUNT_SUMMARY,
  ...over,
});

describe('fetchLiveInputs', () => {
  it('pages the authorization details, polls the credential report until COMPLETE, takes NoSuchEntity as no policy', async () => {
    const { live, calls } = clients(iamAnswers(), { LookupEvents: () => ({ Events: [{ CloudTrailEvent: JSON.stringify(trailRecord()) }] }) });
    const { inputs, warnings } = await fetchLiveInputs(live, NOW);
    expect(warnings).toEqual([]);
    expect(calls.filter((c) => c === 'GetAccountAuthorizationDetails')).toHaveLength(2);
    expect(calls.filter((c) => c === 'GenerateCredentialReport')).toHaveLength(3);
    expect(inputs.authorizationDetails!.users.length + inputs.authorizationDetails!.roles.length).toBe(details['UserDetailList']!.length + details['RoleDetailList']!.length);
    expect(inputs.credentialReport!.rows.map((r) => r.user)).toEqual(baselineReportRows().map((r) => r.user));
    expect(inputs.passwordPolicy).toEqual({ kind: 'none' });
    expect(inputs.accountSummary).toEqual(ACCOUNT_SUMMARY['SummaryMap']);
    expect(inputs.trail).toHaveLength(1);
  });

  it('leaves out a refused input with a warning, and stops reading the trail after its page limit', async () => {
    const { live, calls } = clients(
      iamAnswers({
        GetAccountSummary: () => {
          throw sdkError('AccessDenied');
        },
      }),
      { LookupEvents: () => ({ Events: [{ CloudTrailEvent: JSON.stringify(trailRecord()) }], NextToken: 'more' }) },
    );
    const { inputs, warnings } = await fetchLiveInputs(live, NOW);
    expect(inputs.accountSummary).toBeUndefined();
    expect(warnings).toEqual(['iam:GetAccountSummary was refused (AccessDenied): the checks that need it are not assessed', `read the newest ${MAX_EVENT_PAGES} events of the trail only`]);
    expect(calls.filter((c) => c === 'LookupEvents')).toHaveLength(MAX_EVENT_PAGES);
  });

  it('fails on any other error', async () => {
    const { live } = clients(iamAnswers({ GetAccountPasswordPolicy: () => { throw sdkError('ServiceFailure'); } }), { LookupEvents: () => ({ Events: [] }) });
    await expect(fetchLiveInputs(live, NOW)).rejects.toMatchObject({ name: 'ServiceFailure' });
  });
});
