/**
 * The ends of a listed table: the row that says the list is empty, and the button that reads the
 * next page.
 */
import type { ReactNode } from 'react';

/** A full-width row shown when `show` holds (the list is read, was not refused, and has nothing). */
export function EmptyRow({ show, columns, children }: { show: boolean; columns: number; children: ReactNode }) {
  if (!show) return null;
  return (
    <tr>
      <td colSpan={columns}>{children}</td>
    </tr>
  );
}

/** "Load more", shown while another page exists and disabled while one is being read. */
export function LoadMore({ hasMore, busy, onMore }: { hasMore: boolean; busy: boolean; onMore: () => void }) {
  if (!hasMore) return null;
  return (
    <button type="button" onClick={onMore} disabled={busy}>
      Load more
    </button>
  );
}
