/**
 * What the audit trail needs to know about one request, whatever the protocol that carried it.
 * The pipeline fills it in; `buildCloudTrailRecord` turns it into CloudTrail's record format.
 */
import type { Principal } from '../domain/context.js';

/** The AWS service a call was made to, in Castellan's words. */
export type AuditService = 'iam' | 'sts' | 'cloudtrail' | 'signin';

/** CloudTrail's `eventSource` for each service. */
export const EVENT_SOURCES: Readonly<Record<AuditService, string>> = Object.freeze({
  iam: 'iam.amazonaws.com',
  sts: 'sts.amazonaws.com',
  cloudtrail: 'cloudtrail.amazonaws.com',
  signin: 'signin.amazonaws.com',
});

/** One request as the audit trail sees it. Member names of `request`/`response` are AWS's (PascalCase). */
export interface AuditEventInput {
  /** CloudTrail's `eventID`: a fresh UUID per event. */
  eventId: string;
  /** The request id returned to the client (`requestID`). */
  requestId: string;
  /** When the request was received (the request context's `now`). */
  eventTime: Date;
  service: AuditService;
  /** The operation, e.g. `CreateUser`, or `ConsoleLogin` for sign-in. */
  eventName: string;
  /** The region the request was signed for; IAM and sign-in events are always recorded in `us-east-1`. */
  region: string;
  sourceIp: string;
  userAgent: string;
  /** The authenticated caller; absent when authentication failed or was not attempted. */
  caller?: Principal;
  /** The access key id the request claimed, when authentication failed. */
  claimedAccessKeyId?: string;
  /**
   * The account whose trail receives the event (`recipientAccountId`). For an authenticated call it
   * is the caller's account; for a failed authentication, the account owning the claimed key if
   * known, else the server's default account.
   */
  accountId: string;
  /** The decoded request parameters (AWS member names), or undefined when the call had none. */
  request?: Record<string, unknown>;
  /** The operation's output (AWS member names) when it succeeded. */
  response?: Record<string, unknown>;
  /** The AWS error code and message when the call failed. Messages never contain secrets. */
  error?: { code: string; message: string };
  readOnly: boolean;
  /** Default is `AwsApiCall`; sign-in events are `AwsConsoleSignIn`. */
  eventType?: 'AwsApiCall' | 'AwsConsoleSignIn';
  /** Extra service-specific data, e.g. `{ MFAUsed: 'No' }` for ConsoleLogin. */
  additionalEventData?: Record<string, unknown>;
  /** Known only when the request arrived over TLS. */
  tls?: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
}
