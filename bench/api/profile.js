// `node bench/api/profile.js [case] [seconds]`: runs `castellan serve` (SQLite, temporary folder)
// with `--cpu-prof` under one bench:api case and prints where its CPU time went (self time by
// function and by file). The profile itself is left in the printed folder for Chrome DevTools.
import { BENCH_USER, OTHER_USER, setUpAccount } from './account-setup.js';
import { ACCOUNT_ID, add, readLoadProfile, startProfiledCastellan } from './cpu-profile.js';
import { runLoad } from './processes.js';
import { signedQuery } from './sign-request.js';

const [caseName = 'GetUser', seconds = '5'] = process.argv.slice(2);
const { server, root: ROOT, profDir } = await startProfiledCastellan('castellan-profile-');
try {
  const user = await setUpAccount(server.url, ROOT, ACCOUNT_ID);
  const host = new URL(server.url).host;
  // Each case: the load spec's request part (see load.js) and its connections, as in bench:api.
  const cases = {
    GetUser: () => ({ connections: 32, request: signedQuery({ host, service: 'iam', action: 'GetUser', params: { UserName: BENCH_USER }, credentials: user, date: new Date() }) }),
    // Another user, whom the group's inline policy denies to the bench user (403).
    GetUserDenied: () => ({ connections: 32, request: signedQuery({ host, service: 'iam', action: 'GetUser', params: { UserName: OTHER_USER }, credentials: user, date: new Date() }) }),
    GetCallerIdentity: () => ({ connections: 32, request: signedQuery({ host, service: 'sts', action: 'GetCallerIdentity', params: {}, credentials: user, date: new Date() }) }),
    // A new tag value per request, so every call changes the user (a real write, cache invalidation and audit event).
    TagUser: () => ({ connections: 4, tagUser: { userName: BENCH_USER, credentials: user, region: 'us-east-1' } }),
  };
  if (!cases[caseName]) throw new Error(`unknown case \`${caseName}\`; one of ${Object.keys(cases).join(', ')}`);
  const r = await runLoad({ url: server.url, durationSeconds: Number(seconds), ...cases[caseName]() });
  console.log(`${caseName}: ${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}`);
} finally {
  await server.stop();
}
const { file, self, byId, parent, label, top } = await readLoadProfile(profDir, seconds);
const byFn = new Map();
const byFile = new Map();
for (const [id, t] of self) {
  add(byFn, label(id), t);
  add(byFile, label(id).replace(/^\S+ /, '').replace(/:.*$/, '') || '(native)', t);
}
console.log(`profile: ${file}\n\nself time by function\n${top(byFn, 40)}\n\nself time by file\n${top(byFile, 30)}`);

// Who calls the heaviest functions: their self time split by the chain of their three nearest callers.
const name = (id) => {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  return `${functionName || '(anon)'}@${url.replace(/^.*\//, '')}:${lineNumber + 1}`;
};
const heaviest = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k]) => k);
for (const fn of heaviest) {
  const chains = new Map();
  for (const [id, t] of self) {
    if (label(id) !== fn) continue;
    const chain = [];
    for (let p = parent.get(id), i = 0; p !== undefined && i < 5; p = parent.get(p), i++) chain.push(name(p));
    add(chains, chain.join(' < '), t);
  }
  console.log(`\n${fn}\n${top(chains, 4)}`);
}
