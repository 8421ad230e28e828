import { Notice } from './notice.js';

/**
 * The page for an entity that does not exist (a mistyped name or ARN, or one deleted meanwhile): a
 * way back to its list, its heading, and IAM's NoSuchEntity once instead of forms each repeating it.
 */
export function MissingEntity({ backHref, backLabel, heading, error }: { backHref: string; backLabel: string; heading: string; error: string }) {
  return (
    <>
      <p>
        <a href={backHref}>← {backLabel}</a>
      </p>
      <h2>{heading}</h2>
      <Notice kind="error">{error}</Notice>
    </>
  );
}
