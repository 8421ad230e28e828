import { ValidationError } from '../../../../domain/errors.js';

/** The page size of the castellan List operations when `MaxResults` is absent (the model caps it at 100). */
export const DEFAULT_PAGE_SIZE = 100;

/**
 * One page of `items` (in their stable order) after the item a `NextToken` names. The token is the
 * last answered item's id, opaque to callers; a token naming no item (tampered, or its item gone) is
 * a ValidationException, as a list API answers an invalid token.
 */
export function pageById<T>(items: readonly T[], idOf: (item: T) => string, input: { MaxResults?: number; NextToken?: string }): { page: T[]; NextToken?: string } {
  let start = 0;
  if (input.NextToken !== undefined) {
    const after = openToken(input.NextToken);
    const at = after === undefined ? -1 : items.findIndex((item) => idOf(item) === after);
    if (at < 0) throw new ValidationError('Invalid NextToken.');
    start = at + 1;
  }
  const size = input.MaxResults ?? DEFAULT_PAGE_SIZE;
  const page = items.slice(start, start + size);
  const more = start + size < items.length;
  return { page, ...(more ? { NextToken: Buffer.from(JSON.stringify({ after: idOf(page.at(-1)!) }), 'utf8').toString('base64url') } : {}) };
}

function openToken(token: string): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown } | null;
    return typeof parsed?.after === 'string' ? parsed.after : undefined;
  } catch {
    return undefined;
  }
}
