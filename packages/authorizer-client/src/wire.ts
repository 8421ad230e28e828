/**
 * The JSON wire shapes of `Castellan_20261201.AuthorizeRequest` (AWS JSON 1.1: PascalCase members,
 * timestamps as epoch seconds) and their mapping to and from the client's types.
 *
 * @module
 */
import type { Principal } from '@castellan/server/service-kit';
import type { ActionDecision, AuthorizationAnswer, AuthorizationQuestion, PrincipalSnapshot, SnapshotPolicy } from './types.js';

/** The service's signing name and whether it wants a snapshot, besides the question. */
export interface WireOptions {
  service: string;
  includePrincipalSnapshot?: boolean;
}

type Json = Record<string, unknown>;

/** The request body of AuthorizeRequest. */
export function questionToWire(q: AuthorizationQuestion, options: WireOptions): Json {
  return {
    Service: options.service,
    ClientRequest: { Method: q.request.method, Path: q.request.path, Query: q.request.query, Headers: q.request.headers },
    SourceIp: q.sourceIp,
    ...(q.secureTransport !== undefined ? { SecureTransport: q.secureTransport } : {}),
    ...(q.bodySha256 ? { BodySha256: q.bodySha256 } : {}),
    Authorizations: q.authorizations.map((a) => ({ Action: a.action, Resource: a.resource, ...(a.resourceAccount ? { ResourceAccount: a.resourceAccount } : {}) })),
    ...(q.resourcePolicy ? { ResourcePolicy: { ...(q.resourcePolicy.policyId ? { PolicyId: q.resourcePolicy.policyId } : {}), Document: q.resourcePolicy.document } } : {}),
    ...(q.conditionKeys ? { ConditionKeys: Object.fromEntries(Object.entries(q.conditionKeys).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])) } : {}),
    ...(q.event
      ? {
          Event: {
            ...(q.event.eventSource ? { EventSource: q.event.eventSource } : {}),
            EventName: q.event.eventName,
            ...(q.event.category ? { EventCategory: q.event.category } : {}),
            ReadOnly: q.event.readOnly,
            ...(q.event.requestParameters ? { RequestParameters: q.event.requestParameters } : {}),
            ...(q.event.resources ? { Resources: q.event.resources.map((r) => ({ Type: r.type, Arn: r.arn, ...(r.accountId ? { AccountId: r.accountId } : {}) })) } : {}),
          },
        }
      : {}),
    ...(options.includePrincipalSnapshot ? { IncludePrincipalSnapshot: true } : {}),
  };
}

const date = (v: unknown): Date => new Date(Number(v) * 1000);
const str = (v: unknown): string => String(v);

/** The client's principal from its wire form. */
export function principalFromWire(w: Json): Principal {
  const s = w['Session'] as Json | undefined;
  return {
    type: str(w['Type']) as Principal['type'],
    accountId: str(w['AccountId']),
    arn: str(w['Arn']),
    principalId: str(w['PrincipalId']),
    ...(w['UserName'] !== undefined ? { userName: str(w['UserName']) } : {}),
    ...(w['AccessKeyId'] !== undefined ? { accessKeyId: str(w['AccessKeyId']) } : {}),
    mfaAuthenticated: w['MfaAuthenticated'] === true,
    ...(s
      ? {
          session: {
            issuerArn: str(s['IssuerArn']),
            issuerType: str(s['IssuerType']) as 'Role' | 'IAMUser' | 'Root',
            issuerName: str(s['IssuerName']),
            issuerPrincipalId: str(s['IssuerPrincipalId']),
            ...(s['SessionName'] !== undefined ? { sessionName: str(s['SessionName']) } : {}),
            createdAt: date(s['CreatedAt']),
            expiresAt: date(s['ExpiresAt']),
            mfaAuthenticated: s['MfaAuthenticated'] === true,
            ...(s['MfaAuthenticatedAt'] !== undefined ? { mfaAuthenticatedAt: date(s['MfaAuthenticatedAt']) } : {}),
            ...(s['Tags'] !== undefined ? { tags: s['Tags'] as Record<string, string> } : {}),
            ...(s['SourceIdentity'] !== undefined ? { sourceIdentity: str(s['SourceIdentity']) } : {}),
          },
        }
      : {}),
  };
}

const policies = (list: unknown): SnapshotPolicy[] => ((list as Json[] | undefined) ?? []).map((p) => ({ policyId: str(p['PolicyId']), name: str(p['Name']), document: str(p['Document']) }));

function snapshotFromWire(w: Json): PrincipalSnapshot {
  const scope = w['Scope'] as Json;
  const p = w['Policies'] as Json;
  return {
    accessKeyId: str(w['AccessKeyId']),
    principal: principalFromWire(w['Principal'] as Json),
    signingKey: str(w['SigningKey']),
    scope: { date: str(scope['Date']), region: str(scope['Region']), service: str(scope['Service']) },
    policies: {
      identity: policies(p['Identity']),
      ...(p['Boundary'] !== undefined ? { boundary: policies(p['Boundary']) } : {}),
      ...(p['Session'] !== undefined ? { session: policies(p['Session']) } : {}),
    },
    tags: (w['Tags'] as Record<string, string> | undefined) ?? {},
    validUntil: date(w['ValidUntil']),
    ...(w['FederatingUserArn'] !== undefined ? { federatingUserArn: str(w['FederatingUserArn']) } : {}),
  };
}

function decisionFromWire(d: Json): ActionDecision {
  return {
    action: str(d['Action']),
    resource: str(d['Resource']),
    effect: str(d['Effect']) as ActionDecision['effect'],
    decidedBy: ((d['DecidedBy'] as Json[] | undefined) ?? []).map((s) => ({
      policyId: str(s['PolicyId']),
      ...(s['PolicyName'] !== undefined ? { policyName: str(s['PolicyName']) } : {}),
      policyKind: str(s['PolicyKind']),
      statementIndex: Number(s['StatementIndex']),
      ...(s['Sid'] !== undefined ? { sid: str(s['Sid']) } : {}),
      effect: str(s['Effect']) as 'Allow' | 'Deny',
    })),
    ...(d['DeniedBy'] !== undefined ? { deniedBy: str(d['DeniedBy']) } : {}),
    ...(d['MissingContextKeys'] !== undefined ? { missingContextKeys: d['MissingContextKeys'] as string[] } : {}),
    ...(d['Message'] !== undefined ? { message: str(d['Message']) } : {}),
  };
}

/** The answer from AuthorizeRequest's response body. */
export function answerFromWire(w: Json): AuthorizationAnswer {
  if (w['Authenticated'] !== true) {
    const e = (w['Error'] as Json | undefined) ?? {};
    return { authenticated: false, error: { code: str(e['Code'] ?? 'AccessDenied'), message: str(e['Message'] ?? '') } };
  }
  const a = w['Authentication'] as Json;
  const payload = w['Payload'] as Json;
  const streaming = w['Streaming'] as Json | undefined;
  const kind = str(payload['Kind']);
  return {
    authenticated: true,
    principal: principalFromWire(w['Principal'] as Json),
    authentication: {
      method: str(a['Method']) as 'sigv4-header' | 'sigv4-presigned',
      accessKeyId: str(a['AccessKeyId']),
      temporaryCredentials: a['TemporaryCredentials'] === true,
      mfaAuthenticated: a['MfaAuthenticated'] === true,
      region: str(a['Region']),
      service: str(a['Service']),
      signedAt: date(a['SignedAt']),
      ...(a['ExpiresAt'] !== undefined ? { expiresAt: date(a['ExpiresAt']) } : {}),
    },
    decisions: ((w['Decisions'] as Json[] | undefined) ?? []).map(decisionFromWire),
    allowed: w['Allowed'] === true,
    payload:
      kind === 'sha256' ? { kind, sha256: str(payload['Sha256']) }
      : kind === 'streaming-signed' ? { kind, trailer: payload['Trailer'] === true }
      : kind === 'streaming-unsigned-trailer' ? { kind }
      : { kind: 'unsigned' },
    ...(streaming
      ? {
          streaming: {
            // Absent for a service of another account than the client's that is not the platform's: it must refuse the upload.
            ...(streaming['SigningKey'] !== undefined ? { signingKey: str(streaming['SigningKey']) } : {}),
            seedSignature: str(streaming['SeedSignature']),
            amzDate: str(streaming['AmzDate']),
            scope: str(streaming['Scope']),
          },
        }
      : {}),
    ...(w['Snapshot'] ? { snapshot: snapshotFromWire(w['Snapshot'] as Json) } : {}),
  };
}
