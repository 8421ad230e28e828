/**
 * Test helper: CloudTrail records chained exactly as the store chains them, for the exporter's and
 * verifier's pure logic. Tests of tampering with stored rows use a real store instead.
 * @internal
 */
import type { AuditEventRow, NewAuditEvent } from '../store/store.js';
import type { Principal } from '../domain/context.js';
import { chainHash, GENESIS_HASH } from '../store/chain-hash.js';
import { buildCloudTrailRecord, serializeRecord } from './cloudtrail-record.js';
import { extractResources } from './audit-resources.js';

/** A new event for `appendAuditEvents`, built like the AuditLog builds it. */
export function sampleEvent(i: number, opts: { accountId?: string; time?: Date; eventName?: string; region?: string; service?: 'iam' | 'sts'; userName?: string } = {}): NewAuditEvent {
  const accountId = opts.accountId ?? '123456789012';
  const caller: Principal = {
    type: 'IAMUser', accountId, arn: `arn:aws:iam::${accountId}:user/${opts.userName ?? 'alice'}`, principalId: 'AIDAALICEALICEALICE1',
    userName: opts.userName ?? 'alice', accessKeyId: 'AKIAALICEALICEALICE1', mfaAuthenticated: false,
  };
  const eventId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const request = { UserName: `user-${i}` };
  const record = buildCloudTrailRecord({
    eventId, requestId: `req-${i}`, eventTime: opts.time ?? new Date(Date.UTC(2026, 0, 1, 0, 0, i)), service: opts.service ?? 'iam',
    eventSource: `${opts.service ?? 'iam'}.amazonaws.com`, global: (opts.service ?? 'iam') === 'iam', eventName: opts.eventName ?? 'CreateUser', region: opts.region ?? 'us-east-1', sourceIp: '192.0.2.1', userAgent: 'test',
    caller, accountId, request, readOnly: false,
  });
  return {
    eventId, accountId, eventTime: opts.time ?? new Date(Date.UTC(2026, 0, 1, 0, 0, i)), eventSource: record.eventSource,
    eventName: record.eventName, readOnly: false, username: caller.userName!, accessKeyId: caller.accessKeyId!,
    resources: extractResources(request), recordJson: serializeRecord(record),
  };
}

/** The chain key of the rows `chainRows` makes (a store derives its own from its master key). */
export const TEST_CHAIN_KEY = Buffer.alloc(32, 7);

/** Rows chained from `GENESIS_HASH`, as a store would hold them. */
export function chainRows(events: NewAuditEvent[], startSeq = 1, prevHash = GENESIS_HASH): AuditEventRow[] {
  const rows: AuditEventRow[] = [];
  let prev = prevHash;
  events.forEach((e, i) => {
    const seq = startSeq + i;
    const hash = chainHash(TEST_CHAIN_KEY, prev, seq, e);
    rows.push({ ...e, seq, prevHash: prev, hash });
    prev = hash;
  });
  return rows;
}

/** A read-only source over fixed rows, with the scan semantics of `AuditStore.scanAuditEvents`. */
export function rowSource(rows: AuditEventRow[]) {
  return {
    auditChainHash: (prevHash: string, seq: number, event: NewAuditEvent, format?: 'v2' | 'v3'): string => chainHash(TEST_CHAIN_KEY, prevHash, seq, event, format),
    async scanAuditEvents(req: { fromSeq: number; limit: number }): Promise<AuditEventRow[]> {
      return rows.filter((r) => r.seq >= req.fromSeq).sort((a, b) => a.seq - b.seq).slice(0, req.limit);
    },
  };
}
