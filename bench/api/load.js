// The load generator, run as its own process (`node bench/api/load.js '<json spec>'`) so it never
// shares an event loop or a core's time slice accounting with the server it measures. It runs
// autocannon once and writes autocannon's result as one JSON line on stdout.
//
// Spec: { url, connections, durationSeconds, request: { method, path, headers, body } }
//   or, for a mutation whose body changes per request,
//       { url, connections, durationSeconds, tagUser: { userName, credentials, region } }:
//   every request gets a new tag value and a new signature (in autocannon's `setupRequest`).
import autocannon from 'autocannon';
import { signedQuery } from './sign-request.js';

const spec = JSON.parse(process.argv[2]);
const url = new URL(spec.url);

let request = spec.request;
if (spec.tagUser) {
  const { userName, credentials, region } = spec.tagUser;
  let n = 0;
  request = {
    method: 'POST',
    path: '/',
    setupRequest: (req) => {
      n += 1;
      const signed = signedQuery({
        host: url.host, service: 'iam', action: 'TagUser', credentials, region, date: new Date(),
        params: { UserName: userName, 'Tags.member.1.Key': 'bench-counter', 'Tags.member.1.Value': `${process.pid}-${n}` },
      });
      return { ...req, ...signed };
    },
  };
}

const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.durationSeconds,
  requests: [request],
  timeout: 30,
});
process.stdout.write(`${JSON.stringify(result)}\n`);
