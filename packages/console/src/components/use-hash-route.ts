import { useSyncExternalStore } from 'react';

/**
 * The console's pages live in the URL fragment (`#/users`, `#/policies`), so a reload or a shared
 * link opens the same page and the server only ever serves one document.
 */
function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useHashRoute(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash.replace(/^#\/?/, '') || 'users');
}

export function navigate(route: string): void {
  window.location.hash = `#/${route}`;
}
