import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';

/** Static credentials for SDK clients in tests. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Options shared by the SDK clients pointed at a Castellan server: no retries, so errors surface as-is. */
function clientConfig(endpoint: string, credentials: StaticCredentials, region: string) {
  return { endpoint, region, credentials, maxAttempts: 1 };
}

/** An `IAMClient` for the server at `endpoint`. */
export function iamClient(endpoint: string, credentials: StaticCredentials, region = 'us-east-1'): IAMClient {
  return new IAMClient(clientConfig(endpoint, credentials, region));
}

/** An `STSClient` for the server at `endpoint` (same endpoint as IAM: routed by the signing scope). */
export function stsClient(endpoint: string, credentials: StaticCredentials, region = 'us-east-1'): STSClient {
  return new STSClient(clientConfig(endpoint, credentials, region));
}

/** A `CloudTrailClient` for the server at `endpoint`. */
export function cloudTrailClient(endpoint: string, credentials: StaticCredentials, region = 'us-east-1'): CloudTrailClient {
  return new CloudTrailClient(clientConfig(endpoint, credentials, region));
}

/** Runs `fn` and returns the SDK error it throws (fails the test if it does not throw). */
export async function sdkError(fn: () => Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined; requestId: string | undefined }> {
  try {
    await fn();
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number; requestId?: string } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode, requestId: err.$metadata?.requestId };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
