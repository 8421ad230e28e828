import { describe, expect, it, vi } from 'vitest';
import { IAM_MODEL } from '../model/iam-model.js';
import { STS_MODEL } from '../model/sts-model.js';
import { decodeQueryInput } from './decode-query-input.js';
import { readQueryParams } from './read-query-params.js';
import { decodeQueryCall, resolveQueryOperation } from './resolve-query-call.js';
import { formatIsoTimestamp, serializeQueryResponse } from './serialize-query-output.js';
import type { ServiceModel } from '../model/service-model.js';
import { serializeQueryError } from './serialize-query-error.js';
import { toWireListedUser } from './operations/iam/identity-wire.js';
import { toWireListedPolicy } from './operations/iam/policy-wire.js';

const params = (body: string) => readQueryParams('', new TextEncoder().encode(body), 'application/x-www-form-urlencoded; charset=utf-8');
const call = (body: string) => {
  const p = params(body);
  return decodeQueryCall(IAM_MODEL, resolveQueryOperation(IAM_MODEL, p), p);
};
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
  return undefined;
};

describe('Query input decoding', () => {
  const cases: Array<{ name: string; body: string; input: unknown }> = [
    { name: 'scalars', body: 'Action=CreateUser&Version=2010-05-08&UserName=bob&Path=%2Fteam%2F', input: { UserName: 'bob', Path: '/team/' } },
    {
      name: 'list of structures (member.N), in index order',
      body: 'Action=CreateUser&Version=2010-05-08&UserName=bob&Tags.member.2.Key=b&Tags.member.2.Value=2&Tags.member.1.Key=a&Tags.member.1.Value=1',
      input: { UserName: 'bob', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] },
    },
    { name: 'empty list', body: 'Action=UntagUser&Version=2010-05-08&UserName=bob&TagKeys=', input: { UserName: 'bob', TagKeys: [] } },
    { name: 'integer and boolean', body: 'Action=ListUsers&Version=2010-05-08&MaxItems=5', input: { MaxItems: 5 } },
    { name: 'boolean', body: 'Action=CreateLoginProfile&Version=2010-05-08&UserName=u&Password=p%2Bw+d&PasswordResetRequired=true', input: { UserName: 'u', Password: 'p+w d', PasswordResetRequired: true } },
    {
      name: 'list of strings',
      body: 'Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=%7B%7D&ActionNames.member.1=iam%3AGetUser&ActionNames.member.2=s3%3A*',
      input: { PolicyInputList: ['{}'], ActionNames: ['iam:GetUser', 's3:*'] },
    },
    {
      name: 'lists inside list items, enums',
      body:
        'Action=SimulatePrincipalPolicy&Version=2010-05-08&PolicySourceArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Auser%2Fbob&ActionNames.member.1=iam%3AGetUser' +
        '&ContextEntries.member.1.ContextKeyName=aws%3ASourceIp&ContextEntries.member.1.ContextKeyType=ip&ContextEntries.member.1.ContextKeyValues.member.1=10.0.0.1&ContextEntries.member.1.ContextKeyValues.member.2=10.0.0.2',
      input: {
        PolicySourceArn: 'arn:aws:iam::123456789012:user/bob',
        ActionNames: ['iam:GetUser'],
        ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyType: 'ip', ContextKeyValues: ['10.0.0.1', '10.0.0.2'] }],
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => expect(call(c.body).input).toEqual(c.input));
  }
});

describe('Query input decoding at the body limit', () => {
  it('decodes ~1 MiB of list items in linear time (a per-item scan of every name took 45 s)', () => {
    const n = 19_000;
    const items = Array.from({ length: n }, (_, i) => `Tags.member.${i + 1}.Key=k${i + 1}&Tags.member.${i + 1}.Value=v`);
    const p = params(`Action=TagUser&Version=2010-05-08&UserName=bob&${items.join('&')}`);
    const started = performance.now();
    const { input } = decodeQueryInput(IAM_MODEL, 'TagUserRequest', p);
    const elapsed = performance.now() - started;
    expect((input['Tags'] as unknown[]).length).toBe(n);
    expect((input['Tags'] as unknown[])[n - 1]).toEqual({ Key: `k${n}`, Value: 'v' });
    expect(elapsed).toBeLessThan(5000);
  });
});

describe('Query input received before validation', () => {
  const cases: Array<{ name: string; body: string; received: unknown; code: string }> = [
    { name: 'over-long password', body: `Action=CreateLoginProfile&Version=2010-05-08&UserName=alice&Password=${'p'.repeat(129)}`, received: { UserName: 'alice', Password: 'p'.repeat(129) }, code: 'ValidationError' },
    { name: 'list items and an unconvertible number', body: 'Action=CreateUser&Version=2010-05-08&UserName=a%20b&Tags.member.1.Key=k&Tags.member.1.Value=v&MaxItems=x', received: { UserName: 'a b', Tags: [{ Key: 'k', Value: 'v' }] }, code: 'ValidationError' },
    { name: 'unknown Action: nothing decoded', body: 'Action=Frobnicate&Version=2010-05-08&UserName=a', received: undefined, code: 'InvalidAction' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      // Given a call that is refused, When it is decoded with a receiver
      let received: unknown;
      const f = failure(() => {
        const p = params(c.body);
        return decodeQueryCall(IAM_MODEL, resolveQueryOperation(IAM_MODEL, p), p, (input) => (received = input));
      });
      // Then the error is unchanged and the receiver saw the decoded, unvalidated input
      expect(f?.code).toBe(c.code);
      expect(received).toEqual(c.received);
    });
  }
});

describe('Query errors', () => {
  const cases: Array<{ name: string; body: string; code: string; message?: string | RegExp }> = [
    { name: 'missing Action', body: 'Version=2010-05-08', code: 'MissingAction' },
    { name: 'unknown Action', body: 'Action=Frobnicate&Version=2010-05-08', code: 'InvalidAction', message: 'Could not find operation Frobnicate for version 2010-05-08' },
    { name: 'wrong Version', body: 'Action=GetUser&Version=2011-06-15', code: 'InvalidAction', message: 'Could not find operation GetUser for version 2011-06-15' },
    { name: 'no Version', body: 'Action=GetUser', code: 'InvalidAction', message: 'Could not find operation GetUser for version NO_VERSION_SPECIFIED' },
    // Names inherited from Object.prototype are not operations (a plain-object lookup answered 501).
    ...['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'].map((action) => ({
      name: `inherited name ${action}`,
      body: `Action=${action}&Version=2010-05-08`,
      code: 'InvalidAction',
      message: `Could not find operation ${action} for version 2010-05-08`,
    })),
    { name: 'required member missing', body: 'Action=CreateUser&Version=2010-05-08', code: 'ValidationError', message: "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null" },
    {
      name: 'pattern',
      body: 'Action=CreateUser&Version=2010-05-08&UserName=a%20b',
      code: 'ValidationError',
      message: "1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    },
    {
      name: 'several errors counted',
      body: `Action=CreateUser&Version=2010-05-08&UserName=${'x'.repeat(65)}&Path=nope`,
      code: 'ValidationError',
      message: /^2 validation errors detected: Value 'nope' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: .*; Value 'x{65}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64$/,
    },
    { name: 'enum', body: 'Action=UpdateAccessKey&Version=2010-05-08&AccessKeyId=AKIAIOSFODNN7EXAMPLE&Status=On', code: 'ValidationError', message: /Value 'On' at 'status' failed to satisfy constraint: Member must satisfy enum value set: \[Active, Inactive\]/ },
    { name: 'numeric range', body: 'Action=ListUsers&Version=2010-05-08&MaxItems=1001', code: 'ValidationError', message: /Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000/ },
    { name: 'not an integer', body: 'Action=ListUsers&Version=2010-05-08&MaxItems=ten', code: 'ValidationError', message: /at 'maxItems'/ },
    { name: 'nested list item', body: 'Action=TagUser&Version=2010-05-08&UserName=bob&Tags.member.1.Value=v', code: 'ValidationError', message: "1 validation error detected: Value null at 'tags.1.member.key' failed to satisfy constraint: Member must not be null" },
    { name: 'sensitive value redacted', body: 'Action=CreateLoginProfile&Version=2010-05-08&UserName=bob&Password=', code: 'ValidationError', message: /Value '\*\*\* Sensitive Data Redacted \*\*\*' at 'password'/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const f = failure(() => call(c.body));
      expect(f?.code).toBe(c.code);
      if (typeof c.message === 'string') expect(f?.message).toBe(c.message);
      else if (c.message) expect(f?.message).toMatch(c.message);
    });
  }
});

describe('Query output', () => {
  it('wraps the result, writes members in model order, ISO timestamps, lists as member', () => {
    const xml = serializeQueryResponse(
      IAM_MODEL,
      'CreateUser',
      { User: { UserName: 'bob', Path: '/', UserId: 'AIDAEXAMPLE', Arn: 'arn:aws:iam::123456789012:user/bob', CreateDate: new Date('2026-01-02T03:04:05Z'), Tags: [{ Key: 'k', Value: 'a<b' }] } },
      'req-1',
    );
    expect(xml).toBe(
      '<CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><CreateUserResult><User><Path>/</Path><UserName>bob</UserName><UserId>AIDAEXAMPLE</UserId>' +
        '<Arn>arn:aws:iam::123456789012:user/bob</Arn><CreateDate>2026-01-02T03:04:05Z</CreateDate><Tags><member><Key>k</Key><Value>a&lt;b</Value></member></Tags></User>' +
        '</CreateUserResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CreateUserResponse>',
    );
  });
  it('URL-encodes policy documents, writes maps as entries and booleans lowercase', () => {
    const doc = '{"Version":"2012-10-17","Statement":[]}';
    expect(serializeQueryResponse(IAM_MODEL, 'GetUserPolicy', { UserName: 'u', PolicyName: 'p', PolicyDocument: doc }, 'r')).toContain(`<PolicyDocument>${encodeURIComponent(doc)}</PolicyDocument>`);
    expect(serializeQueryResponse(IAM_MODEL, 'GetAccountSummary', { SummaryMap: { Users: 3 } }, 'r')).toContain('<SummaryMap><entry><key>Users</key><value>3</value></entry></SummaryMap>');
    expect(serializeQueryResponse(IAM_MODEL, 'ListUsers', { Users: [], IsTruncated: false }, 'r')).toContain('<Users></Users><IsTruncated>false</IsTruncated>');
  });
  it('answers an operation without output with metadata only, in the STS namespace', () => {
    expect(serializeQueryResponse(IAM_MODEL, 'DeleteUser', undefined, 'r')).toBe(
      '<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteUserResponse>',
    );
    expect(serializeQueryResponse(STS_MODEL, 'GetCallerIdentity', { Account: '1' }, 'r')).toContain('xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Account>1</Account>');
  });
  it.each([
    ['NoSuchEntity', 404, 'Sender'],
    ['EntityAlreadyExists', 409, 'Sender'],
    ['ServiceFailure', 500, 'Receiver'],
    ['AccessDenied', 403, 'Sender'],
    ['NotImplemented', 501, 'Receiver'],
  ])('error %s -> %i %s', (code, status, type) => {
    const { status: s, body } = serializeQueryError(IAM_MODEL.xmlNamespace!, code, 'm & n', 'rid');
    expect(s).toBe(status);
    expect(body).toBe(
      `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>${type}</Type><Code>${code}</Code><Message>m &amp; n</Message></Error><RequestId>rid</RequestId></ErrorResponse>`,
    );
  });
});

describe('Query output text that XML 1.0 cannot carry', () => {
  // A strict parser (expat, behind boto3 and the AWS CLI) refuses the whole response for one such
  // character, even written as a reference: each becomes U+FFFD; everything else is kept.
  const cases: Array<[string, string, string]> = [
    ['a C0 control', 'bad\x01desc', 'bad\uFFFDdesc'],
    ['NUL and escape', 'a\0b\x1bc', 'a\uFFFDb\uFFFDc'],
    ['vertical tab and form feed', 'a\x0Bb\x0Cc', 'a\uFFFDb\uFFFDc'],
    ['U+FFFE and U+FFFF', 'a\uFFFEb\uFFFFc', 'a\uFFFDb\uFFFDc'],
    ['a lone surrogate', 'a\uD800b\uDC00', 'a\uFFFDb\uFFFD'],
    ['tab, newline and an emoji, kept', 'a\tb\nc \u{1F600}', 'a\tb\nc \u{1F600}'],
    ['carriage return and markup, escaped', 'a\rb<c&', 'a&#xD;b&lt;c&amp;'],
  ];
  it.each(cases)('%s in a stored value', (_name, text, written) => {
    const xml = serializeQueryResponse(IAM_MODEL, 'GetPolicy', { Policy: { PolicyName: 'p', Description: text } }, 'r');
    expect(xml).toContain(`<Description>${written}</Description>`);
  });
  it.each(cases)('%s in an error message quoting the input', (_name, text, written) => {
    expect(serializeQueryError(IAM_MODEL.xmlNamespace!, 'ValidationError', `Value '${text}' at 'userName'`, 'r').body).toContain(`<Message>Value '${written}' at 'userName'</Message>`);
  });
});

describe('Query output of a listed page', () => {
  // Pinned byte for byte: a listing's members go through the writers the serializer builds per
  // structure, the hottest path a page takes (100 members), so any change to them shows here.
  const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
  it('ListUsers: members in model order, escaped paths, PasswordLastUsed only when set, the marker', () => {
    const users = [
      toWireListedUser({ id: 'AIDAAAAAAAAAAAAAAAAA1', name: 'alice', path: '/a&b<c>/', arn: 'arn:aws:iam::123456789012:user/a&b<c>/alice', createDate: at }),
      toWireListedUser({ id: 'AIDAAAAAAAAAAAAAAAAA2', name: 'Bob+=,.@-_', path: '/', arn: 'arn:aws:iam::123456789012:user/Bob+=,.@-_', createDate: new Date(at.getTime() + 7), passwordLastUsed: at, permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/b' }),
    ];
    expect(serializeQueryResponse(IAM_MODEL, 'ListUsers', { Users: users, IsTruncated: true, Marker: 'm&1' }, 'req-1')).toBe(
      '<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users>' +
        '<member><Path>/a&amp;b&lt;c&gt;/</Path><UserName>alice</UserName><UserId>AIDAAAAAAAAAAAAAAAAA1</UserId><Arn>arn:aws:iam::123456789012:user/a&amp;b&lt;c&gt;/alice</Arn><CreateDate>2026-01-02T03:04:05Z</CreateDate></member>' +
        '<member><Path>/</Path><UserName>Bob+=,.@-_</UserName><UserId>AIDAAAAAAAAAAAAAAAAA2</UserId><Arn>arn:aws:iam::123456789012:user/Bob+=,.@-_</Arn><CreateDate>2026-01-02T03:04:05.007Z</CreateDate><PasswordLastUsed>2026-01-02T03:04:05Z</PasswordLastUsed></member>' +
        '</Users><IsTruncated>true</IsTruncated><Marker>m&amp;1</Marker></ListUsersResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></ListUsersResponse>',
    );
  });
  it('ListPolicies: counts, IsAttachable, both dates, no Description, the last page without a marker', () => {
    const policy = (name: string, path: string, createDate: Date, updateDate: Date) => toWireListedPolicy({
      name, id: `ANPA${name.toUpperCase()}AAAAAAAAAAAA`, arn: `arn:aws:iam::123456789012:policy${path}${name}`, path, defaultVersionId: 'v12', attachmentCount: 3,
      permissionsBoundaryUsageCount: 0, isAttachable: true, description: 'not listed <ever>', createDate, updateDate,
    });
    const policies = [policy('p1', '/', at, at), policy('p2', '/x>y/', at, new Date(Date.UTC(2026, 1, 3)))];
    expect(serializeQueryResponse(IAM_MODEL, 'ListPolicies', { Policies: policies, IsTruncated: false }, 'req-2')).toBe(
      '<ListPoliciesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListPoliciesResult><Policies>' +
        '<member><PolicyName>p1</PolicyName><PolicyId>ANPAP1AAAAAAAAAAAA</PolicyId><Arn>arn:aws:iam::123456789012:policy/p1</Arn><Path>/</Path><DefaultVersionId>v12</DefaultVersionId>' +
        '<AttachmentCount>3</AttachmentCount><PermissionsBoundaryUsageCount>0</PermissionsBoundaryUsageCount><IsAttachable>true</IsAttachable><CreateDate>2026-01-02T03:04:05Z</CreateDate><UpdateDate>2026-01-02T03:04:05Z</UpdateDate></member>' +
        '<member><PolicyName>p2</PolicyName><PolicyId>ANPAP2AAAAAAAAAAAA</PolicyId><Arn>arn:aws:iam::123456789012:policy/x&gt;y/p2</Arn><Path>/x&gt;y/</Path><DefaultVersionId>v12</DefaultVersionId>' +
        '<AttachmentCount>3</AttachmentCount><PermissionsBoundaryUsageCount>0</PermissionsBoundaryUsageCount><IsAttachable>true</IsAttachable><CreateDate>2026-01-02T03:04:05Z</CreateDate><UpdateDate>2026-02-03T00:00:00Z</UpdateDate></member>' +
        '</Policies><IsTruncated>false</IsTruncated></ListPoliciesResult><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></ListPoliciesResponse>',
    );
  });
});

describe('Query output of every kind of member', () => {
  // A model of its own: flattened lists, maps, blobs, a member whose shape is missing and a
  // structure that contains itself, which IAM's and STS's outputs do not all have.
  const model: ServiceModel = {
    signingName: 't', serviceId: 'T', protocol: 'query', apiVersion: '1', xmlNamespace: 'urn:t',
    operations: { Op: { name: 'Op', httpMethod: 'POST', output: 'Out', resultWrapper: 'OpResult', errors: [] } },
    shapes: {
      Out: {
        type: 'structure',
        members: {
          Flat: { shape: 'Names', flattened: true },
          Listed: { shape: 'Names', locationName: 'Renamed' },
          Items: { shape: 'ItemList' },
          Counts: { shape: 'CountMap' },
          Data: { shape: 'Bytes' },
          When: { shape: 'Time' },
          Ok: { shape: 'Flag' },
          Doc: { shape: 'policyDocumentType' },
          Gone: { shape: 'NoSuchShape' },
          Node: { shape: 'Node' },
        },
      },
      Names: { type: 'list', member: { shape: 'Name' } },
      ItemList: { type: 'list', member: { shape: 'Name', locationName: 'item' } },
      CountMap: { type: 'map', key: { shape: 'Name', locationName: 'k' }, value: { shape: 'Count' } },
      Node: { type: 'structure', members: { Label: { shape: 'Name' }, Next: { shape: 'Node' } } },
      Name: { type: 'string' },
      Count: { type: 'integer' },
      Bytes: { type: 'blob' },
      Time: { type: 'timestamp' },
      Flag: { type: 'boolean' },
      policyDocumentType: { type: 'string' },
    },
  };
  const result = (output: Record<string, unknown>) => {
    const xml = serializeQueryResponse(model, 'Op', output, 'r');
    return xml.slice(xml.indexOf('<OpResult>') + '<OpResult>'.length, xml.indexOf('</OpResult>'));
  };
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a flattened list repeats the member name', { Flat: ['a', 'b&c'] }, '<Flat>a</Flat><Flat>b&amp;c</Flat>'],
    ['a list under its location name, items as member', { Listed: ['a'] }, '<Renamed><member>a</member></Renamed>'],
    ['list items under their own location name', { Items: ['x', 'y'] }, '<Items><item>x</item><item>y</item></Items>'],
    ['an empty list', { Items: [] }, '<Items></Items>'],
    ['a map from an object', { Counts: { a: 1, 'b<': 2 } }, '<Counts><entry><k>a</k><value>1</value></entry><entry><k>b&lt;</k><value>2</value></entry></Counts>'],
    ['a map from a Map', { Counts: new Map([['z', 0]]) }, '<Counts><entry><k>z</k><value>0</value></entry></Counts>'],
    ['a blob in base64', { Data: new Uint8Array([0xfb, 0xff]) }, '<Data>+/8=</Data>'],
    ['a timestamp from a Date, a number and a string', { When: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) }, '<When>2026-01-02T03:04:05.006Z</When>'],
    ['a timestamp from epoch milliseconds', { When: 0 }, '<When>1970-01-01T00:00:00Z</When>'],
    ['a timestamp from text', { When: '2026-01-02T03:04:05Z' }, '<When>2026-01-02T03:04:05Z</When>'],
    ['booleans lowercase', { Ok: false }, '<Ok>false</Ok>'],
    ['a policy document URL-encoded, then escaped', { Doc: '{"a":"b c"}' }, '<Doc>%7B%22a%22%3A%22b%20c%22%7D</Doc>'],
    ['a member of an unknown shape is left out', { Gone: 'x', Ok: true }, '<Ok>true</Ok>'],
    ['null and undefined members are left out', { Flat: null, Items: undefined, Ok: true }, '<Ok>true</Ok>'],
    ['a structure that contains itself', { Node: { Label: 'a', Next: { Label: 'b', Next: { Label: 'c' } } } }, '<Node><Label>a</Label><Next><Label>b</Label><Next><Label>c</Label></Next></Next></Node>'],
    ['members in model order, not the object\'s', { Ok: true, Flat: ['a'] }, '<Flat>a</Flat><Ok>true</Ok>'],
  ];
  it.each(cases)('%s', (_name, output, expected) => {
    expect(result(output)).toBe(expected);
  });
  it('writes the same without code generation from strings (node --disallow-code-generation-from-strings)', () => {
    // A copy of the model, so its structures' writers are built anew while `Function` refuses.
    const copy = structuredClone(model);
    vi.stubGlobal('Function', function refused() {
      throw new EvalError('Code generation from strings disallowed for this context');
    });
    try {
      for (const [, output, expected] of cases) {
        const xml = serializeQueryResponse(copy, 'Op', output, 'r');
        expect(xml.slice(xml.indexOf('<OpResult>') + '<OpResult>'.length, xml.indexOf('</OpResult>'))).toBe(expected);
      }
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('Query timestamps', () => {
  it.each<[string, number, string]>([
    ['the epoch', 0, '1970-01-01T00:00:00Z'],
    ['milliseconds kept when not zero', Date.UTC(2026, 11, 6, 19, 57, 23, 450), '2026-12-06T19:57:23.450Z'],
    ['one millisecond before the epoch', -1, '1969-12-31T23:59:59.999Z'],
    ['a leap day', Date.UTC(2024, 1, 29, 12, 0, 0), '2024-02-29T12:00:00Z'],
    ['a century leap day (2000)', Date.UTC(2000, 1, 29), '2000-02-29T00:00:00Z'],
    ['the day after 28 February 2100 (no leap day)', Date.UTC(2100, 2, 1), '2100-03-01T00:00:00Z'],
    ['the first instant of year 0', -62_167_219_200_000, '0000-01-01T00:00:00Z'],
    ['before year 0', -62_167_219_200_001, '-000001-12-31T23:59:59.999Z'],
    ['the last instant of year 9999', 253_402_300_799_999, '9999-12-31T23:59:59.999Z'],
    ['year 10000', 253_402_300_800_000, '+010000-01-01T00:00:00Z'],
  ])('%s', (_name, time, expected) => {
    expect(formatIsoTimestamp(new Date(time))).toBe(expected);
  });

  it("spells every time as toISOString does, without a zero millisecond part", () => {
    // Times spread over years 0–9999 and around the present, with and without milliseconds.
    let seed = 7;
    const next = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    for (let i = 0; i < 20_000; i++) {
      const t = i % 2 === 0 ? Math.floor(-62_167_219_200_000 + next() * 315_569_520_000_000) : Math.floor(1.6e12 + next() * 1e11);
      const time = i % 3 === 0 ? t - (((t % 1000) + 1000) % 1000) : t;
      const iso = new Date(time).toISOString();
      expect(formatIsoTimestamp(new Date(time))).toBe(iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso);
    }
  });

  it('refuses an invalid date as toISOString does', () => {
    expect(() => formatIsoTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('Query parameters from the URL and the body', () => {
  const read = (query: string, body = '') => Object.fromEntries(readQueryParams(query, new TextEncoder().encode(body), undefined));
  it.each([
    ['+ is a space, %2B a plus', 'A=a+b&B=a%2Bb', '', { A: 'a b', B: 'a+b' }],
    // SigV4 signs the query sorted, so its order is not signed: a repeated name reads the same in any order.
    ['a name repeated in the query, one order', 'X=b&X=a', '', { X: 'a' }],
    ['a name repeated in the query, the other order', 'X=a&X=b', '', { X: 'a' }],
    ['query before body', 'X=q', 'X=b&Y=1', { X: 'q', Y: '1' }],
    ['within the (signed) body the first occurrence wins', '', 'X=b&X=a', { X: 'b' }],
  ])('%s', (_name, query, body, expected) => {
    expect(read(query, body)).toEqual(expected);
  });
});
