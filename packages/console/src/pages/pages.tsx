import { lazy, type ComponentType } from 'react';
import type { ConsoleSession } from '../api/session.js';

export interface PageProps {
  session: ConsoleSession;
  /** The whole fragment route, e.g. `users/alice`. */
  route: string;
}

// Each section is its own chunk, loaded when first opened: signing in needs none of them, and the
// policy engine and the chart library load only with the pages that use them.
const PrincipalsPage = lazy(() => import('./principals-page.js').then((m) => ({ default: m.PrincipalsPage })));
const PoliciesPage = lazy(() => import('./policies-page.js').then((m) => ({ default: m.PoliciesPage })));
const SimulatorPage = lazy(() => import('./simulator-page.js').then((m) => ({ default: m.SimulatorPage })));
const TrailPage = lazy(() => import('./trail-page.js').then((m) => ({ default: m.TrailPage })));
const AdvisorPage = lazy(() => import('./advisor-page.js').then((m) => ({ default: m.AdvisorPage })));
const CredentialsPage = lazy(() => import('./credentials-page.js').then((m) => ({ default: m.CredentialsPage })));

/** The console's sections, in the navigation's order. */
export const PAGES: ReadonlyArray<{ route: string; title: string; component: ComponentType<PageProps> }> = [
  { route: 'users', title: 'Users', component: (p) => <PrincipalsPage kind="users" {...p} /> },
  { route: 'groups', title: 'Groups', component: (p) => <PrincipalsPage kind="groups" {...p} /> },
  { route: 'roles', title: 'Roles', component: (p) => <PrincipalsPage kind="roles" {...p} /> },
  { route: 'policies', title: 'Policies', component: PoliciesPage },
  { route: 'simulator', title: 'Policy simulator', component: SimulatorPage },
  { route: 'trail', title: 'Audit trail', component: TrailPage },
  { route: 'credentials', title: 'Credential report', component: CredentialsPage },
  { route: 'best-practices', title: 'Best practices', component: AdvisorPage },
];
