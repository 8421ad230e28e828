// The cluster benchmark's load generator, run as its own process
// (`node bench/cluster/load-mix.js '<json spec>'`): one autocannon instance per node, all at once,
// each connection cycling through one mutation (`CreateUser` with a name never used before, as
// root) and three reads (`GetUser` as a non-root user with attached and group policies). It
// writes one JSON line: per node, autocannon's result and the names of the users whose
// `CreateUser` was acknowledged with 200, which the benchmark then looks for in the database.
//
// Spec: { targets: [{ label, url }], connectionsPerTarget, durationSeconds, root, user, readUser, prefix }
import autocannon from 'autocannon';
import { signedQuery } from '../api/sign-request.js';

const spec = JSON.parse(process.argv[2]);

function runTarget({ label, url }) {
  const host = new URL(url).host;
  const acknowledged = [];
  let n = 0;
  const createUser = {
    method: 'POST',
    path: '/',
    setupRequest: (req, context) => {
      n += 1;
      context.userName = `${spec.prefix}-${label}-${n}`;
      return { ...req, ...signedQuery({ host, service: 'iam', action: 'CreateUser', params: { UserName: context.userName }, credentials: spec.root, date: new Date() }) };
    },
    onResponse: (status, _body, context) => {
      if (status === 200) acknowledged.push(context.userName);
    },
  };
  const getUser = {
    method: 'POST',
    path: '/',
    setupRequest: (req) => ({ ...req, ...signedQuery({ host, service: 'iam', action: 'GetUser', params: { UserName: spec.readUser }, credentials: spec.user, date: new Date() }) }),
  };
  return new Promise((resolve, reject) => {
    autocannon({
      url,
      connections: spec.connectionsPerTarget,
      duration: spec.durationSeconds,
      requests: [createUser, getUser, getUser, getUser],
      timeout: 10,
    }, (err, result) => (err ? reject(err) : resolve({ label, result, acknowledged })));
  });
}

const results = await Promise.all(spec.targets.map(runTarget));
process.stdout.write(`${JSON.stringify(results)}\n`);
