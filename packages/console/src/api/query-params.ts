/**
 * Encodes a call's parameters the way AWS Query expects them: lists as `Name.member.N`, records
 * as `Name.Key`, so `{ Tags: [{ Key: 'a', Value: 'b' }] }` becomes `Tags.member.1.Key=a&…`.
 */
export type QueryParam = string | number | boolean | undefined | QueryParam[] | { [name: string]: QueryParam };

export function encodeQueryParams(action: string, version: string, params: Record<string, QueryParam>): URLSearchParams {
  const out = new URLSearchParams({ Action: action, Version: version });
  const add = (prefix: string, value: QueryParam): void => {
    if (value === undefined) return;
    if (Array.isArray(value)) value.forEach((v, i) => add(`${prefix}.member.${i + 1}`, v));
    else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) add(`${prefix}.${k}`, v);
    else out.append(prefix, String(value));
  };
  for (const [name, value] of Object.entries(params)) add(name, value);
  return out;
}
