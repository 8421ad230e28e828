// `--scale` (issue 11, "flat at scale"): the one-page reads in three accounts of one database,
// measured in alternation so that the machine's load drifts over all three alike:
//   - empty: the benchmark's own account, nearly empty (the set-up's two users and four policies;
//     its trail holds the hot-path cases' events, so LookupEvents returns full pages there too);
//   - page: an account with one page of each (100 users, 100 policies, 100 events), so a read
//     returns as many rows as at scale;
//   - scale: an account with `users` users, `policies` customer managed policies, `events` events.
// Per-call cost = requests/s of the smaller account ÷ requests/s at scale (1.0 is flat).
import { openAccountAdmin } from '../../packages/server/dist/services/accounts/index.js';
import { seedScale } from './seed-scale.js';
import { signedCloudTrail, signedQuery } from './sign-request.js';
import { costRatio, round } from './stats.js';

const PAGE = 100;
const query = (action, params, credentials) => (host) => ({ request: signedQuery({ host, service: 'iam', action, params, credentials, date: new Date() }) });

/**
 * The reads, as the account's root user (so they measure the data, not the policies). `OnlyAttached`
 * and `PermissionsBoundary` find nothing attached or used as a boundary in the seeded accounts: what
 * they cost is finding that out (they walked every policy of the account before migrations 0022 and
 * 0024).
 */
function cases(credentials, userName) {
  return [
    ['GetUser', query('GetUser', { UserName: userName }, credentials)],
    ['ListUsers MaxItems=100', query('ListUsers', { MaxItems: 100 }, credentials)],
    ['ListPolicies Local MaxItems=100', query('ListPolicies', { Scope: 'Local', MaxItems: 100 }, credentials)],
    ['ListPolicies Local OnlyAttached MaxItems=100', query('ListPolicies', { Scope: 'Local', OnlyAttached: 'true', MaxItems: 100 }, credentials)],
    ['ListPolicies Local PermissionsBoundary MaxItems=100', query('ListPolicies', { Scope: 'Local', PolicyUsageFilter: 'PermissionsBoundary', MaxItems: 100 }, credentials)],
    ['GetAccountAuthorizationDetails MaxItems=100', query('GetAccountAuthorizationDetails', { MaxItems: 100 }, credentials)],
    // AWS caps LookupEvents at 50 results a page (MaxResults 1..50 in CloudTrail's model).
    ['LookupEvents MaxResults=50', (host) => ({ request: signedCloudTrail({ host, action: 'LookupEvents', input: { MaxResults: 50 }, credentials, date: new Date() }) })],
  ];
}

/**
 * Creates the page and scale accounts next to the benchmark's (`empty`) one, seeds them, and
 * measures the reads `rounds` times in turn. `measure(label, sign, seconds)` runs one case.
 */
export async function runScale({ db, masterKey, empty, scale, measure, seconds, rpsOf, rssNow, rounds = 2 }) {
  const admin = await openAccountAdmin(
    { dataDir: db.env.CASTELLAN_DATA_DIR, ...(db.env.CASTELLAN_DATABASE_URL ? { databaseUrl: db.env.CASTELLAN_DATABASE_URL } : {}) },
    { CASTELLAN_MASTER_KEY: masterKey.toString('hex') },
  );
  let page;
  let big;
  try {
    page = await admin.createAccount({ now: new Date() });
    big = await admin.createAccount({ now: new Date() });
  } finally {
    await admin.close();
  }
  const creds = (a) => ({ accessKeyId: a.rootAccessKeyId, secretAccessKey: a.rootSecretAccessKey });
  console.error(`  seeding one page of each into account ${page.accountId}`);
  await seedScale({ storeConfig: db.storeConfig, masterKey, accountId: page.accountId, users: PAGE, policies: PAGE, events: PAGE, idBase: 1e9 });
  console.error(`  seeding ${scale.users.toLocaleString('en-US')} users, ${scale.policies.toLocaleString('en-US')} policies, ${scale.events.toLocaleString('en-US')} audit events into account ${big.accountId}`);
  const seedSeconds = await seedScale({ storeConfig: db.storeConfig, masterKey, accountId: big.accountId, ...scale, idBase: 2e9 });

  const accounts = {
    empty: cases(empty.credentials, empty.userName),
    page: cases(creds(page), `scale-user-${String(PAGE / 2).padStart(6, '0')}`),
    scale: cases(creds(big), `scale-user-${String(Math.floor(scale.users / 2)).padStart(6, '0')}`),
  };
  const rows = { empty: {}, page: {}, scale: {} };
  for (let i = 0; i < accounts.empty.length; i++) {
    const name = accounts.empty[i][0];
    for (const kind of Object.keys(rows)) rows[kind][name] = [];
    for (let round = 0; round < rounds; round++) {
      for (const kind of Object.keys(rows)) rows[kind][name].push(await measure(`${name} (${kind}, round ${round + 1})`, accounts[kind][i][1], seconds));
    }
  }
  const rss = await rssNow();
  // A case's figure is the mean of its rounds' requests/s; p99 the worst round's.
  // CPU µs/req (the server's CPU time per request) is the mean of the rounds' figures too: unlike
  // requests/s it hardly moves with the machine's load, so its ratio is the steadier cost figure.
  const mean = (list, f) => (list.some((r) => f(r) === null) ? null : list.reduce((n, r) => n + f(r), 0) / list.length);
  const fold = (list) => ({ requestsPerSecond: mean(list, rpsOf), cpuMicros: mean(list, (r) => r.cpuMicrosPerRequest ?? null), p99: Math.max(...list.map((r) => r.p99)), unexpected: list.reduce((n, r) => n + r.unexpected + r.errors, 0) });
  const reads = Object.keys(rows.empty).map((name) => {
    const [e, p, s] = [fold(rows.empty[name]), fold(rows.page[name]), fold(rows.scale[name])];
    const cpuRatio = (small) => (small.cpuMicros === null || s.cpuMicros === null ? null : s.cpuMicros / small.cpuMicros);
    return {
      name, empty: e, page: p, scale: s,
      costVsEmpty: costRatio(e.requestsPerSecond, s.requestsPerSecond), costVsPage: costRatio(p.requestsPerSecond, s.requestsPerSecond),
      cpuVsEmpty: cpuRatio(e), cpuVsPage: cpuRatio(p),
    };
  });
  return { reads, rss, seedSeconds, accounts: { page: page.accountId, scale: big.accountId } };
}

/** Prints the scale table of each dialect's result. */
export function printScale(scale, results) {
  const fmt = (n, d = 0) => (n === null || n === undefined ? '-' : n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
  console.log('');
  console.log(`at scale (${fmt(scale.users)} users, ${fmt(scale.policies)} customer managed policies, ${fmt(scale.events)} audit events in one account; root caller, 4 connections; cost × = requests/s of the smaller account ÷ at scale)`);
  console.log(`${'read'.padEnd(44)} ${'target'.padEnd(18)} ${'empty r/s'.padStart(9)} ${'page r/s'.padStart(9)} ${'scale r/s'.padStart(9)} ${'p99 ms'.padStart(7)} ${'× empty'.padStart(8)} ${'× page'.padStart(7)}  ${'CPU µs/req empty/page/scale'.padStart(27)} ${'CPU× empty'.padStart(10)} ${'CPU× page'.padStart(9)}`);
  for (const r of results) {
    for (const x of r.scale.reads) {
      const flag = x.empty.unexpected + x.page.unexpected + x.scale.unexpected > 0 ? '  (unexpected statuses or errors)' : '';
      const cpu = [x.empty, x.page, x.scale].map((k) => fmt(k.cpuMicros)).join(' / ');
      console.log(`${x.name.padEnd(44)} ${r.target.padEnd(18)} ${fmt(x.empty.requestsPerSecond).padStart(9)} ${fmt(x.page.requestsPerSecond).padStart(9)} ${fmt(x.scale.requestsPerSecond).padStart(9)} ${fmt(x.scale.p99, 1).padStart(7)} ${fmt(x.costVsEmpty, 2).padStart(8)} ${fmt(x.costVsPage, 2).padStart(7)}  ${cpu.padStart(27)} ${fmt(x.cpuVsEmpty, 2).padStart(10)} ${fmt(x.cpuVsPage, 2).padStart(9)}${flag}`);
    }
    const s = r.scale.seedSeconds;
    console.log(`${r.target}: RSS ${fmt(r.scale.rss === null ? null : r.scale.rss / 1e6)} MB at scale; seeded in ${fmt(s.users)} s (users), ${fmt(s.policies)} s (policies), ${fmt(s.events)} s (events)`);
  }
}

/** The JSON line's scale block of one dialect. */
export function scaleSummary(result) {
  return {
    scaleCostRatio: Object.fromEntries(result.reads.map((x) => [x.name, round(x.costVsEmpty)])),
    scaleCostRatioToOnePage: Object.fromEntries(result.reads.map((x) => [x.name, round(x.costVsPage)])),
    scaleCpuRatio: Object.fromEntries(result.reads.map((x) => [x.name, x.cpuVsEmpty === null ? null : round(x.cpuVsEmpty)])),
    scaleCpuRatioToOnePage: Object.fromEntries(result.reads.map((x) => [x.name, x.cpuVsPage === null ? null : round(x.cpuVsPage)])),
    scaleRssMegabytes: result.rss === null ? null : Math.round(result.rss / 1e6),
    scaleSeedSeconds: Object.fromEntries(Object.entries(result.seedSeconds).map(([k, v]) => [k, round(v, 0)])),
  };
}
