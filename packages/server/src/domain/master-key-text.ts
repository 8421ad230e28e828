/** The master key's length: an AES-256 key. */
export const MASTER_KEY_BYTES = 32;

/**
 * Parses a 32-byte key given as 64 hex digits or as base64 (standard or URL-safe, padding
 * optional). Throws with a message naming `source` and never echoing the value.
 */
export function parseMasterKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (!key || key.length !== MASTER_KEY_BYTES) {
    throw new Error(`${source} must hold a ${MASTER_KEY_BYTES}-byte key as 64 hex digits or base64`);
  }
  return key;
}
