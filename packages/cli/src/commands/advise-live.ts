/**
 * `castellan advise --endpoint-url URL`: the live mode. The documents the offline mode reads are
 * fetched through the ordinary IAM and CloudTrail APIs (so it works on real AWS as well as on
 * Castellan) with the AWS default credential chain, then read by the same readers.
 */
import { CloudTrailClient, paginateLookupEvents, type Event } from '@aws-sdk/client-cloudtrail';
import {
  GenerateCredentialReportCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  IAMClient,
  paginateGetAccountAuthorizationDetails,
  type GetCredentialReportCommandOutput,
} from '@aws-sdk/client-iam';
import { readApiResponses, type AccountInputs, type ApiResponses } from '@castellan/advisor';

/** How far back the live mode reads the trail: LookupEvents keeps 90 days. */
export const TRAIL_LOOKBACK_DAYS = 90;
/** At most this many LookupEvents pages (50 events each; LookupEvents allows 2 calls a second). */
export const MAX_EVENT_PAGES = 20;

/** What the live mode talks to. */
export interface LiveClients {
  iam: IAMClient;
  cloudTrail: CloudTrailClient;
  /** Waits between credential-report polls (replaceable in tests). */
  sleep?: (ms: number) => Promise<void>;
}

/** Errors that leave one input out (its checks are then not assessed) instead of failing the run. */
const SKIPPABLE = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnrecognizedClientException', 'OperationNotPermittedException']);

/** The inputs fetched, with a warning for each left out. */
export interface LiveInputs {
  inputs: AccountInputs;
  warnings: string[];
}

const errorName = (err: unknown): string => (err as { name?: string }).name ?? '';

/** Fetches the documents and reads them; `now` bounds the trail window. */
export async function fetchLiveInputs(clients: LiveClients, now: Date): Promise<LiveInputs> {
  const warnings: string[] = [];
  const responses: { -readonly [K in keyof ApiResponses]: ApiResponses[K] } = {};
  const optional = async (what: string, fetch: () => Promise<void>): Promise<void> => {
    try {
      await fetch();
    } catch (err) {
      if (!SKIPPABLE.has(errorName(err))) throw err;
      warnings.push(`${what} was refused (${errorName(err)}): the checks that need it are not assessed`);
    }
  };
  await optional('iam:GetAccountAuthorizationDetails', async () => {
    const pages: unknown[] = [];
    for await (const page of paginateGetAccountAuthorizationDetails({ client: clients.iam }, {})) pages.push(page);
    responses.authorizationDetailsPages = pages;
  });
  await optional('iam:GetCredentialReport', async () => {
    responses.credentialReport = await credentialReport(clients.iam, clients.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))));
  });
  await optional('iam:GetAccountPasswordPolicy', async () => {
    try {
      responses.passwordPolicy = await clients.iam.send(new GetAccountPasswordPolicyCommand({}));
    } catch (err) {
      if (errorName(err) !== 'NoSuchEntityException') throw err;
      responses.passwordPolicy = 'none';
    }
  });
  await optional('iam:GetAccountSummary', async () => {
    responses.accountSummary = await clients.iam.send(new GetAccountSummaryCommand({}));
  });
  await optional('cloudtrail:LookupEvents', async () => {
    const events: Event[] = [];
    const startTime = new Date(now.getTime() - TRAIL_LOOKBACK_DAYS * 86_400_000);
    let pages = 0;
    for await (const page of paginateLookupEvents({ client: clients.cloudTrail, pageSize: 50 }, { StartTime: startTime, EndTime: now })) {
      events.push(...(page.Events ?? []));
      if (++pages >= MAX_EVENT_PAGES) {
        warnings.push(`read the newest ${events.length} events of the trail only`);
        break;
      }
    }
    responses.events = events;
  });
  return { inputs: readApiResponses(responses), warnings };
}

/** The report's polling: GenerateCredentialReport until COMPLETE, then GetCredentialReport (AWS's documented flow). */
async function credentialReport(iam: IAMClient, sleep: (ms: number) => Promise<void>): Promise<GetCredentialReportCommandOutput> {
  for (let attempt = 0; attempt < 60; attempt++) {
    let state: string | undefined;
    try {
      state = (await iam.send(new GenerateCredentialReportCommand({}))).State;
    } catch (err) {
      if (errorName(err) !== 'CredentialReportNotReadyException') throw err;
    }
    if (state === 'COMPLETE') {
      try {
        return await iam.send(new GetCredentialReportCommand({}));
      } catch (err) {
        // Expired or replaced between the two calls: generate again.
        if (!/^CredentialReport(NotReady|Expired|NotPresent)Exception$/.test(errorName(err))) throw err;
      }
    }
    await sleep(Math.min(500 * (attempt + 1), 2000));
  }
  throw new Error('the credential report was not ready after 60 attempts');
}
