import { signedRequest, type TestCredentials } from '../../../packages/server/src/sigv4/test-sign.js';

/** Sends a SigV4-signed request with fetch (for requests the SDKs would not send: stale dates, odd bodies). */
export async function signedFetch(options: Parameters<typeof signedRequest>[0]): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(await signedRequest(options));
  return { status: res.status, text: await res.text(), headers: res.headers };
}

export type { TestCredentials };
