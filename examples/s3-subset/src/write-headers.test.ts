import { describe, expect, it } from 'vitest';
import { refusedAclHeader, refusedBucketWriteHeader, refusedObjectWriteHeader } from './write-headers.js';

type Refusal = readonly [code: string, status: number, header: string] | undefined;
type Check = (headers: Record<string, string>) => { code: string; status: number; header: string } | undefined;

/** One table of a check: each row's headers and the refusal expected (code, status, header), if any. */
function refusals(check: Check, rows: ReadonlyArray<readonly [Record<string, string>, Refusal]>): void {
  it.each(rows)('%j', (headers, expected) => {
    const r = check(headers);
    expect(r && [r.code, r.status, r.header]).toEqual(expected);
  });
}

describe('refusedObjectWriteHeader', () => {
  refusals(refusedObjectWriteHeader, [
    [{}, undefined],
    [{ 'x-amz-acl': 'private' }, undefined],
    [{ 'x-amz-acl': 'bucket-owner-full-control' }, undefined],
    [{ 'x-amz-storage-class': 'STANDARD' }, undefined],
    [{ 'x-amz-acl': 'public-read' }, ['AccessControlListNotSupported', 400, 'x-amz-acl']],
    [{ 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' }, ['AccessControlListNotSupported', 400, 'x-amz-grant-read']],
    [{ 'x-amz-storage-class': 'STANDARD_IA' }, ['NotImplemented', 501, 'x-amz-storage-class']],
    [{ 'x-amz-storage-class': 'CHEAP' }, ['InvalidStorageClass', 400, 'x-amz-storage-class']],
    [{ 'x-amz-server-side-encryption': 'AES256' }, ['NotImplemented', 501, 'x-amz-server-side-encryption']],
    [{ 'x-amz-server-side-encryption-customer-algorithm': 'AES256' }, ['NotImplemented', 501, 'x-amz-server-side-encryption-customer-algorithm']],
    [{ 'x-amz-object-lock-mode': 'GOVERNANCE' }, ['NotImplemented', 501, 'x-amz-object-lock-mode']],
  ]);
});

describe('refusedBucketWriteHeader', () => {
  refusals(refusedBucketWriteHeader, [
    [{}, undefined],
    [{ 'x-amz-acl': 'private' }, undefined],
    // Ignored when creating a bucket (S3's canned-ACL table), and the one ACL a PUT may name with ACLs disabled.
    [{ 'x-amz-acl': 'bucket-owner-full-control' }, undefined],
    [{ 'x-amz-object-ownership': 'BucketOwnerEnforced' }, undefined],
    [{ 'x-amz-acl': 'public-read' }, ['InvalidBucketAclWithObjectOwnership', 400, 'x-amz-acl']],
    [{ 'x-amz-grant-full-control': 'id="abc"' }, ['InvalidBucketAclWithObjectOwnership', 400, 'x-amz-grant-full-control']],
    [{ 'x-amz-object-ownership': 'ObjectWriter' }, ['NotImplemented', 501, 'x-amz-object-ownership']],
    [{ 'x-amz-bucket-object-lock-enabled': 'true' }, ['NotImplemented', 501, 'x-amz-bucket-object-lock-enabled']],
  ]);
});

describe('refusedAclHeader', () => {
  // The same for PutBucketAcl and PutObjectAcl: with ACLs disabled S3 takes a PUT naming the bucket
  // owner's full control (bucket-owner-full-control) or no ACL, and refuses any other.
  refusals(refusedAclHeader, [
    [{}, undefined],
    [{ 'x-amz-acl': 'private' }, undefined],
    [{ 'x-amz-acl': 'bucket-owner-full-control' }, undefined],
    [{ 'x-amz-grant-read': 'id="abc"' }, ['AccessControlListNotSupported', 400, 'x-amz-grant-read']],
    [{ 'x-amz-acl': 'public-read' }, ['AccessControlListNotSupported', 400, 'x-amz-acl']],
    [{ 'x-amz-acl': 'bucket-owner-read' }, ['AccessControlListNotSupported', 400, 'x-amz-acl']],
  ]);
});
