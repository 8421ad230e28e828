// A synchronous SigV4 signer for the benchmark's POST requests (AWS Query and JSON 1.1). It is
// synchronous because autocannon's per-request hook (`setupRequest`) cannot await, and a mutation
// with a changing body needs a fresh signature on every request. Pure: the date is passed in.
import { createHash, createHmac } from 'node:crypto';

const sha256Hex = (data) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data, 'utf8').digest();

/** `20261206T123456Z`: the X-Amz-Date form of `date`. */
export function amzDate(date) {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Signs a POST to `/` on `host` with `body` and returns the headers to send (host included):
 * every header given is signed, plus `host`, `x-amz-date` and, for temporary credentials,
 * `x-amz-security-token`.
 *
 * @example
 * ```js
 * const headers = signPost({ host: '127.0.0.1:8910', body: 'Action=GetCallerIdentity&Version=2011-06-15',
 *   headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
 *   service: 'sts', region: 'us-east-1', credentials, date: new Date() });
 * ```
 */
export function signPost({ host, body, headers = {}, service, region, credentials, date }) {
  const stamp = amzDate(date);
  const day = stamp.slice(0, 8);
  const all = { ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)])), host, 'x-amz-date': stamp };
  if (credentials.sessionToken) all['x-amz-security-token'] = credentials.sessionToken;
  const names = Object.keys(all).sort();
  const canonicalHeaders = names.map((n) => `${n}:${all[n].trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, signedHeaders, sha256Hex(body)].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), service), 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return {
    ...all,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const API_VERSION = { iam: '2010-05-08', sts: '2011-06-15' };

/** Form-encodes an AWS Query call: `Action`, `Version`, then the parameters in order. */
export function queryBody(service, action, params = {}) {
  const pairs = [['Action', action], ['Version', API_VERSION[service]], ...Object.entries(params)];
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
}

/** A signed AWS Query request (IAM or STS) as autocannon takes it: method, path, headers, body. */
export function signedQuery({ host, service, action, params, credentials, region = 'us-east-1', date }) {
  const body = queryBody(service, action, params);
  return { method: 'POST', path: '/', body, headers: signPost({ host, body, headers: FORM, service, region, credentials, date }) };
}

/** A signed CloudTrail (JSON 1.1) request, as autocannon takes it. */
export function signedCloudTrail({ host, action, input, credentials, region = 'us-east-1', date }) {
  const body = JSON.stringify(input);
  const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.${action}` };
  return { method: 'POST', path: '/', body, headers: signPost({ host, body, headers, service: 'cloudtrail', region, credentials, date }) };
}
