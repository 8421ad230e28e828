import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../store/testing.js';
import { createAccessKey, updateAccessKey } from './access-keys.js';
import { CREDENTIAL_REPORT_COLUMNS, credentialReportCsv, credentialReportLine, reportTime } from './credential-report-csv.js';
import { generateCredentialReport, getCredentialReport } from './credential-report.js';
import { createLoginProfile } from './login-profiles.js';
import { updateAccountPasswordPolicy } from './password-policy.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { createUser } from './users.js';

const HOUR = 3600_000;

describe('credential report CSV', () => {
  it('prints times as AWS does: seconds and a +00:00 offset', () => {
    expect(reportTime(new Date('2026-12-06T10:09:43.512Z'))).toBe('2026-12-06T10:09:43+00:00');
  });

  it.each([
    {
      name: 'root: password columns not_supported, sign-in unknown',
      entry: { kind: 'root' as const, name: '<root_account>', arn: 'arn:aws:iam::1:root', creationTime: new Date(0), mfaActive: true, accessKeys: [], signingCertificates: [] },
      cells: ['<root_account>', 'arn:aws:iam::1:root', '1970-01-01T00:00:00+00:00', 'not_supported', 'no_information', 'not_supported', 'not_supported', 'true',
        'false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'false', 'N/A'],
    },
    {
      name: 'a user without credentials: N/A everywhere',
      entry: { kind: 'user' as const, name: 'bob', arn: 'arn:aws:iam::1:user/bob', creationTime: new Date(0), mfaActive: false, accessKeys: [], signingCertificates: [] },
      cells: ['bob', 'arn:aws:iam::1:user/bob', '1970-01-01T00:00:00+00:00', 'false', 'N/A', 'N/A', 'N/A', 'false',
        'false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'false', 'N/A'],
    },
    {
      name: 'a password never used, no rotation; an unused inactive key',
      entry: {
        kind: 'user' as const, name: 'c', arn: 'a', creationTime: new Date(0), mfaActive: false, password: { lastChanged: new Date(1000) },
        accessKeys: [{ active: false, lastRotated: new Date(2000) }], signingCertificates: [{ active: true, lastRotated: new Date(3000) }],
      },
      cells: ['c', 'a', '1970-01-01T00:00:00+00:00', 'true', 'no_information', '1970-01-01T00:00:01+00:00', 'N/A', 'false',
        'false', '1970-01-01T00:00:02+00:00', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'N/A', 'N/A', 'N/A', 'true', '1970-01-01T00:00:03+00:00', 'false', 'N/A'],
    },
  ])('$name', ({ entry, cells }) => {
    expect(credentialReportLine(entry)).toEqual(cells);
    expect(cells).toHaveLength(CREDENTIAL_REPORT_COLUMNS.length);
  });

  it('quotes a user name with a comma (IAM allows one), and its ARN', () => {
    const csv = credentialReportCsv([{ kind: 'user', name: 'ops,eu', arn: 'arn:aws:iam::1:user/ops,eu', creationTime: new Date(0), mfaActive: false, accessKeys: [], signingCertificates: [] }]);
    expect(csv.split('\n')[1]).toMatch(/^"ops,eu","arn:aws:iam::1:user\/ops,eu",1970-01-01T00:00:00\+00:00,false,/);
  });
});

describe.each(testDialects())('credential report (%s)', (dialect) => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture(dialect);
  }, 60_000);
  afterAll(() => f?.dispose());

  it('is generated from live data, kept for four hours, then expires and is regenerated', async () => {
    const t0 = new Date('2026-06-01T10:00:00.000Z');
    const root = () => f.root(t0);
    expect(await failure(() => getCredentialReport(f.deps, {}, root()))).toMatchObject({ code: 'ReportNotPresent' });

    await updateAccountPasswordPolicy(f.deps, { maxPasswordAge: 90 }, root());
    const { user: alice } = await createUser(f.deps, { userName: 'alice' }, root());
    const { user: bob } = await createUser(f.deps, { userName: 'bob' }, f.root(new Date(t0.getTime() + 1000)));
    await createLoginProfile(f.deps, { userName: 'alice', password: 'Corr3ct-Horse!' }, root());
    const used = await createAccessKey(f.deps, { userName: 'alice' }, root());
    const idle = await createAccessKey(f.deps, { userName: 'alice' }, f.root(new Date(t0.getTime() + 2000)));
    await updateAccessKey(f.deps, { userName: 'alice', accessKeyId: idle.accessKeyId, status: 'Inactive' }, root());
    await f.deps.store.recordAccessKeyUse([{ accessKeyId: used.accessKeyId, usedAt: new Date(t0.getTime() + 5000), serviceName: 'sts', region: 'eu-west-1' }]);
    // Stored directly: a real certificate's validity would follow the wall clock, not this test's.
    await f.deps.store.createSigningCertificate({ accountId: ACCOUNT_ID, id: 'CERTALICE000000000000000000000001', owner: { kind: 'user', userId: alice.id }, body: 'PEM', fingerprint: 'sha:alice', status: 'Active', uploadDate: t0 });
    const device = await f.deps.store.createMfaDevice({ accountId: ACCOUNT_ID, serialNumber: `arn:aws:iam::${ACCOUNT_ID}:mfa/alice`, name: 'alice', path: '/', seed: 'JBSWY3DPEHPK3PXP', createDate: t0 });
    await f.deps.store.enableMfaDevice(device.serialNumber, { owner: { kind: 'user', userId: alice.id }, enableDate: t0, usedStep: 1 });

    expect(await generateCredentialReport(f.deps, {}, root())).toEqual({ state: 'STARTED', description: 'No report exists. Starting a new report generation task' });
    const report = await getCredentialReport(f.deps, {}, f.root(new Date(t0.getTime() + HOUR)));
    expect(report.generatedTime).toEqual(t0);
    const [header, ...rows] = report.content.trimEnd().split('\n').map((l) => l.split(','));
    expect(header).toEqual([...CREDENTIAL_REPORT_COLUMNS]);
    const T = (ms: number) => reportTime(new Date(t0.getTime() + ms));
    expect(rows).toEqual([
      ['<root_account>', `arn:aws:iam::${ACCOUNT_ID}:root`, '2026-01-01T00:00:00+00:00', 'not_supported', 'no_information', 'not_supported', 'not_supported', 'false',
        'false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'false', 'N/A'],
      ['alice', alice.arn, T(0), 'true', 'no_information', T(0), T(90 * 24 * HOUR), 'true',
        'true', T(0), T(5000), 'eu-west-1', 'sts', 'false', T(2000), 'N/A', 'N/A', 'N/A', 'true', T(0), 'false', 'N/A'],
      ['bob', bob.arn, T(1000), 'false', 'N/A', 'N/A', 'N/A', 'false',
        'false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'false', 'N/A'],
    ]);

    // Within four hours: COMPLETE, and the same report (a new user does not appear).
    await createUser(f.deps, { userName: 'carol' }, root());
    expect(await generateCredentialReport(f.deps, {}, f.root(new Date(t0.getTime() + 4 * HOUR)))).toEqual({ state: 'COMPLETE' });
    expect((await getCredentialReport(f.deps, {}, f.root(new Date(t0.getTime() + 4 * HOUR)))).content).toBe(report.content);
    expect(await failure(() => getCredentialReport(f.deps, {}, f.root(new Date(t0.getTime() + 4 * HOUR + 1000))))).toMatchObject({ code: 'ReportExpired' });

    const t1 = new Date(t0.getTime() + 5 * HOUR);
    expect(await generateCredentialReport(f.deps, {}, f.root(t1))).toEqual({ state: 'STARTED' });
    const again = await getCredentialReport(f.deps, {}, f.root(t1));
    expect(again.generatedTime).toEqual(t1);
    expect(again.content).toContain('\ncarol,');
  });

  it('answers ReportInProgress while another node generates, and INPROGRESS to a second generator', async () => {
    const t2 = new Date('2026-07-01T00:00:00.000Z');
    await f.deps.store.claimCredentialReportGeneration({ accountId: ACCOUNT_ID, now: t2, staleBefore: new Date(t2.getTime() - 4 * HOUR), abandonedBefore: t2 });
    expect(await failure(() => getCredentialReport(f.deps, {}, f.root(t2)))).toMatchObject({ code: 'ReportInProgress' });
    expect(await generateCredentialReport(f.deps, {}, f.root(new Date(t2.getTime() + 1000)))).toEqual({ state: 'INPROGRESS' });
    // An abandoned generation is taken over after 15 minutes.
    const later = new Date(t2.getTime() + 16 * 60_000);
    expect(await generateCredentialReport(f.deps, {}, f.root(later))).toEqual({ state: 'STARTED' });
    expect((await getCredentialReport(f.deps, {}, f.root(later))).generatedTime).toEqual(later);
  });
});
