/**
 * What the audit trail needs to know about one request, whatever the protocol that carried it.
 * The pipeline fills it in; `audit/cloudtrail-record.ts` turns it into CloudTrail's record format.
 * It sits with the ports so the pipeline and the audit trail share it without importing each other.
 */
import type { Principal } from '../context.js';

/**
 * The AWS service a call was made to, by its signing name (`iam`, `sts`, `cloudtrail`, `signin`).
 * The service table (`protocol/service-table.ts`) lists them; the audit trail keeps no list of its own.
 */
export type AuditService = string;

/** One request as the audit trail sees it. Member names of `request`/`response` are AWS's (PascalCase). */
export interface AuditEventInput {
  /** CloudTrail's `eventID`: a fresh UUID per event. */
  eventId: string;
  /** The request id returned to the client (`requestID`). */
  requestId: string;
  /** When the request was received (the request context's `now`). */
  eventTime: Date;
  service: AuditService;
  /** CloudTrail's `eventSource`, e.g. `iam.amazonaws.com` (from the service table). */
  eventSource: string;
  /** The operation, e.g. `CreateUser`, or `ConsoleLogin` for sign-in. */
  eventName: string;
  /** The region the request was signed for (or the server's default when it names none). */
  region: string;
  /** True for a global service (IAM, sign-in): its events are recorded in `us-east-1` whatever the region. */
  global: boolean;
  sourceIp: string;
  userAgent: string;
  /** The authenticated caller; absent when authentication failed or was not attempted. */
  caller?: Principal;
  /** The access key id the request claimed, when authentication failed. */
  claimedAccessKeyId?: string;
  /**
   * For a call made with a console session (the sign-in cookie): when the session was signed in to.
   * CloudTrail then shows the session (`userIdentity.sessionContext`) and `sessionCredentialFromConsole`.
   */
  consoleSession?: { signedInAt: Date };
  /**
   * For a console sign-in naming no user of the account: recorded as AWS records it, an `IAMUser`
   * whose name is `HIDDEN_DUE_TO_SECURITY_REASONS` (what was typed may be a password).
   */
  unknownSignInName?: true;
  /**
   * The account whose trail receives the event (`recipientAccountId`). For an authenticated call it
   * is the caller's account; for a failed authentication, the account owning the claimed key if
   * known, else the server's default account.
   */
  accountId: string;
  /**
   * CloudTrail's `sharedEventID`: set on each of the events one call delivers to two accounts' trails
   * (the caller's, and the owner's of the other account's resource it reached), each with its own `eventId`.
   */
  sharedEventId?: string;
  /** The decoded request parameters (AWS member names), or undefined when the call had none. */
  request?: Record<string, unknown>;
  /** The operation's output (AWS member names) when it succeeded. */
  response?: Record<string, unknown>;
  /**
   * The AWS error code as the client received it (a JSON service's clients see `AccessDeniedException`
   * where Query clients see `AccessDenied`) and the message, when the call failed. Messages never contain secrets.
   */
  error?: { code: string; message: string };
  readOnly: boolean;
  /** Default is `AwsApiCall`; sign-in events are `AwsConsoleSignIn`. */
  eventType?: 'AwsApiCall' | 'AwsConsoleSignIn';
  /**
   * Extra service-specific data, e.g. `{ MFAUsed: 'No' }` for ConsoleLogin, and Castellan's
   * `castellan:decision` (the authorization decision and the statements behind it).
   */
  additionalEventData?: Record<string, unknown>;
  /**
   * CloudTrail's `eventCategory`. Default is `Management`; `Data` for the requests other services
   * have Castellan authorize (`services/authorizer/`), which are not management events.
   */
  eventCategory?: 'Management' | 'Data';
  /** CloudTrail's `resources` member (data events list the objects and buckets they touch). */
  resources?: Array<{ type: string; arn: string; accountId?: string }>;
  /** Known only when the request arrived over TLS. */
  tls?: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
}
