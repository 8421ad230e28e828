import { describe, expect, it } from 'vitest';
import { selectsEvent, type SelectableRecord, type TrailEventSelectors } from './event-selectors.js';

const read: SelectableRecord = { eventCategory: 'Management', readOnly: true, eventSource: 'iam.amazonaws.com', eventName: 'GetUser' };
const write: SelectableRecord = { eventCategory: 'Management', readOnly: false, eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', errorCode: 'AccessDenied' };
const kms: SelectableRecord = { eventCategory: 'Management', readOnly: true, eventSource: 'kms.amazonaws.com', eventName: 'Decrypt' };
// A console session's call, as the record builder writes it (the member is top-level, as in AWS's records).
const fromConsole: SelectableRecord = { ...read, sessionCredentialFromConsole: 'true' };
const data: SelectableRecord = { eventCategory: 'Data', readOnly: true, eventSource: 'castellan.amazonaws.com', eventName: 'GetObject', resources: [{ type: 'Demo::Bucket::Object', ARN: 'arn:demo:bucket/a/b.txt' }] };

const mgmt = (extra: Array<Record<string, unknown>> = []): TrailEventSelectors => ({ advanced: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, ...extra] as never }] });

describe('selectsEvent', () => {
  // [case, selectors, record, selected]
  const cases: [string, TrailEventSelectors | undefined, SelectableRecord, boolean][] = [
    ['no selectors: every event', undefined, data, true],
    ['basic All: a read', { basic: [{ ReadWriteType: 'All' }] }, read, true],
    ['basic WriteOnly: a read', { basic: [{ ReadWriteType: 'WriteOnly' }] }, read, false],
    ['basic WriteOnly: a write', { basic: [{ ReadWriteType: 'WriteOnly' }] }, write, true],
    ['basic ReadOnly: a write', { basic: [{ ReadWriteType: 'ReadOnly' }] }, write, false],
    ['basic without management events', { basic: [{ IncludeManagementEvents: false }] }, read, false],
    ['basic excluding KMS: a KMS event', { basic: [{ ExcludeManagementEventSources: ['kms.amazonaws.com'] }] }, kms, false],
    ['basic excluding KMS: an IAM event', { basic: [{ ExcludeManagementEventSources: ['kms.amazonaws.com'] }] }, read, true],
    ['basic: a data event (no basic type names it)', { basic: [{ ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] }, data, false],
    ['basic: one of two selectors selects', { basic: [{ ReadWriteType: 'WriteOnly' }, { ReadWriteType: 'ReadOnly' }] }, read, true],
    ['advanced management: a data event', mgmt(), data, false],
    ['advanced management writes: a read', mgmt([{ Field: 'readOnly', Equals: ['false'] }]), read, false],
    ['advanced management writes: a write', mgmt([{ Field: 'readOnly', Equals: ['false'] }]), write, true],
    ['advanced NotEquals eventSource: excluded', mgmt([{ Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }]), kms, false],
    ['advanced StartsWith eventName', mgmt([{ Field: 'eventName', StartsWith: ['Create', 'Delete'] }]), write, true],
    ['advanced NotStartsWith eventName', mgmt([{ Field: 'eventName', NotStartsWith: ['Get'] }]), read, false],
    ['advanced errorCode Equals: a record without one', mgmt([{ Field: 'errorCode', Equals: ['AccessDenied'] }]), read, false],
    ['advanced errorCode Equals', mgmt([{ Field: 'errorCode', Equals: ['AccessDenied'] }]), write, true],
    ['advanced sessionCredentialFromConsole Equals true: a console call', mgmt([{ Field: 'sessionCredentialFromConsole', Equals: ['true'] }]), fromConsole, true],
    ['advanced sessionCredentialFromConsole Equals true: an SDK call', mgmt([{ Field: 'sessionCredentialFromConsole', Equals: ['true'] }]), read, false],
    ['advanced sessionCredentialFromConsole NotEquals true: a console call', mgmt([{ Field: 'sessionCredentialFromConsole', NotEquals: ['true'] }]), fromConsole, false],
    ['advanced data by resources.type', { advanced: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['Demo::Bucket::Object'] }] }] }, data, true],
    ['advanced data by another resources.type', { advanced: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }] }, data, false],
    ['advanced data by resources.ARN EndsWith', { advanced: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['Demo::Bucket::Object'] }, { Field: 'resources.ARN', EndsWith: ['.txt'] }] }] }, data, true],
  ];
  it.each(cases)('%s', (_name, selectors, record, expected) => {
    expect(selectsEvent(selectors, record)).toBe(expected);
  });
});
