/**
 * The S3 example (examples/s3-subset) in front of a test Castellan, as the S3 client tools' tests
 * use it: its service signs as the user `s3-service`, allowed `castellan:AuthorizeRequest` for
 * requests signed for s3 only, and asks Castellan about every request.
 */
import { CastellanAuthorizer } from '@castellan/authorizer-client';
import { startS3Server, type S3Server } from '@castellan/example-s3-subset';
import type { TestCastellan } from './castellan.js';
import { createUserWithKey } from './iam-users.js';

export interface S3Example {
  s3: S3Server;
  /** Stops the example and its authorizer client (Castellan itself is the caller's). */
  close(): Promise<void>;
}

const SERVICE_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'castellan:AuthorizeRequest', Resource: '*', Condition: { StringEquals: { 'castellan:SigningService': 's3' } } }],
});

/** Starts the example on `dataDir` with its service user made in `t`'s account. */
export async function startS3Example(t: TestCastellan, dataDir: string): Promise<S3Example> {
  const service = await createUserWithKey(t.iam(), 's3-service', SERVICE_POLICY);
  const castellan = new CastellanAuthorizer({ endpoint: t.url, service: 's3', credentials: service });
  const s3 = await startS3Server({ dataDir, authorizer: castellan });
  return {
    s3,
    async close() {
      await s3.close();
      castellan.close();
    },
  };
}
