/**
 * The encoded authorization messages of the denials this tab was answered, by the text a page shows
 * for them (`errorText`): pages keep an error as that text, and a notice showing it can then offer
 * the decision behind it. The text names the caller, action, resource and cause, so one text is one
 * decision; the newest {@link DENIALS_KEPT} are kept, and all are forgotten when the session ends
 * (the next person signing in at this browser must not be offered the last one's decisions).
 */
export const DENIALS_KEPT = 50;

const denials = new Map<string, string>();

/** Keeps `encodedMessage` as the decision behind `text`, the newest; the oldest goes past {@link DENIALS_KEPT}. */
export function rememberDenial(text: string, encodedMessage: string): void {
  denials.delete(text);
  denials.set(text, encodedMessage);
  if (denials.size > DENIALS_KEPT) denials.delete(denials.keys().next().value!);
}

/** The encoded authorization message of the denial a page shows as `text`, if this tab was answered one. */
export function encodedMessageFor(text: string): string | undefined {
  return denials.get(text);
}

/** Forgets every denial: the session ended (signed out, timed out, or refused by the server). */
export function forgetDenials(): void {
  denials.clear();
}
