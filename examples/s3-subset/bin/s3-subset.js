#!/usr/bin/env node
// The example S3 server in front of Castellan. Configuration from the environment:
//   CASTELLAN_ENDPOINT        Castellan's URL (default http://127.0.0.1:8910)
//   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY[, AWS_SESSION_TOKEN]   the S3 service's own credentials
//   S3_DATA_DIR (default ./s3-data), S3_PORT (default 9000), S3_AUTHORIZER=round-trip|in-process
//   S3_VIRTUAL_HOST_DOMAIN, or the option --virtual-host-domain DOMAIN: serve virtual-hosted-style
//     requests (Host: BUCKET.DOMAIN), as the AWS SDKs send by default, besides path style
import { parseArgs } from 'node:util';
import { CastellanAuthorizer, InProcessAuthorizer } from '@castellan/authorizer-client';
import { startS3Server } from '../dist/index.js';

const env = process.env;
let args;
try {
  args = parseArgs({ options: { 'virtual-host-domain': { type: 'string' } } }).values;
} catch (err) {
  console.error(`s3-subset: ${err.message} (the one option is --virtual-host-domain DOMAIN)`);
  process.exit(2);
}
const virtualHostDomain = args['virtual-host-domain'] ?? env.S3_VIRTUAL_HOST_DOMAIN ?? undefined;
if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) {
  console.error('s3-subset: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to the credentials of the principal the service runs as');
  process.exit(2);
}
const castellan = new CastellanAuthorizer({
  endpoint: env.CASTELLAN_ENDPOINT ?? 'http://127.0.0.1:8910',
  service: 's3',
  credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) },
});
const authorizer = env.S3_AUTHORIZER === 'in-process' ? new InProcessAuthorizer({ castellan }) : castellan;
const server = await startS3Server({ dataDir: env.S3_DATA_DIR ?? './s3-data', authorizer, port: Number(env.S3_PORT ?? 9000), ...(virtualHostDomain ? { virtualHostDomain } : {}) }).catch((err) => {
  console.error(`s3-subset: ${err.message}`);
  process.exit(2);
});
const addressing = virtualHostDomain ? `path style, and virtual-hosted style at BUCKET.${virtualHostDomain}` : 'path style only';
console.log(`s3-subset listening on ${server.url} (authorizer: ${env.S3_AUTHORIZER === 'in-process' ? 'in-process' : 'round trip'}; ${addressing})`);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void server.close().then(() => process.exit(0)));
