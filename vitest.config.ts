import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources of the workspace packages, not their dist/.
const alias = {
  '@castellan/policy': fileURLToPath(new URL('./packages/policy/src/index.ts', import.meta.url)),
  '@castellan/advisor': fileURLToPath(new URL('./packages/advisor/src/index.ts', import.meta.url)),
  // Subpath exports first: the first matching alias wins.
  '@castellan/server/audit': fileURLToPath(new URL('./packages/server/src/audit/index.ts', import.meta.url)),
  '@castellan/server/accounts': fileURLToPath(new URL('./packages/server/src/services/accounts/index.ts', import.meta.url)),
  '@castellan/server/service-kit': fileURLToPath(new URL('./packages/server/src/service-kit.ts', import.meta.url)),
  '@castellan/authorizer-client/hono': fileURLToPath(new URL('./packages/authorizer-client/src/middleware/hono.ts', import.meta.url)),
  '@castellan/authorizer-client/express': fileURLToPath(new URL('./packages/authorizer-client/src/middleware/express.ts', import.meta.url)),
  '@castellan/authorizer-client/fastify': fileURLToPath(new URL('./packages/authorizer-client/src/middleware/fastify.ts', import.meta.url)),
  '@castellan/authorizer-client': fileURLToPath(new URL('./packages/authorizer-client/src/index.ts', import.meta.url)),
  '@castellan/example-s3-subset': fileURLToPath(new URL('./examples/s3-subset/src/index.ts', import.meta.url)),
  '@castellan/server': fileURLToPath(new URL('./packages/server/src/index.ts', import.meta.url)),
};

/**
 * `npm run fuzz` sets CASTELLAN_FUZZ_RUNS (runs per property) and runs only the `fuzz` project: the
 * `*.fuzz.test.ts` properties at scale, without time limits that a million inputs would break. In the
 * normal run the same files are part of `unit`, with their small default count (2,000 runs each). The
 * project exists only when the variable is set, so a plain `vitest run` does not run them twice.
 */
const fuzzProjects = process.env.CASTELLAN_FUZZ_RUNS
  ? [
      {
        resolve: { alias },
        test: {
          name: 'fuzz',
          include: ['packages/*/src/**/*.fuzz.test.ts'],
          testTimeout: 3_600_000,
          hookTimeout: 120_000,
          // One file at a time (two cores shared with others): the `fuzz` script passes
          // --no-file-parallelism, as Vitest reads that option for the whole run, not per project.
        },
      },
    ]
  : [];

export default defineConfig({
  resolve: { alias },
  test: {
    // Test files share their worker process and its module cache instead of a fresh process each:
    // importing the server's sources again cost about 1.4 s of CPU per file, a third of the whole
    // run. Vitest still gives each project its own workers, and restores `vi` mocks after each file;
    // a file that changes process-wide state (process.env, globals) puts it back in its afterAll.
    isolate: false,
    // At least two workers. Vitest's default (one per core but one) leaves one of CI's two cores
    // idle whenever the single worker runs in-process work (policy evaluation, SQLite) or waits on
    // PostgreSQL, the AWS CLI or a timer. More cores, more workers, as by default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          // Generous: CI has two cores, and some unit tests open real SQLite/PostgreSQL stores or
          // load AWS's 77 MB managed-policy file on a fresh checkout.
          testTimeout: 30_000,
          hookTimeout: 60_000,
          include: ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['**/*.contract.test.ts', '**/node_modules/**'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'contract',
          include: ['packages/*/src/**/*.contract.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // e2e files start their own servers on random ports, PostgreSQL schemas and temporary
          // folders, so two of them may run at once (`fileParallelism` would act only for a whole run).
          env: { CASTELLAN_E2E_DIALECT: 'sqlite', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        },
      },
      {
        resolve: { alias },
        test: {
          // The same e2e suite, with the server storing in PostgreSQL (a fresh schema per server).
          name: 'e2e-postgres',
          include: ['test/e2e/**/*.test.ts'],
          // Not repeated on PostgreSQL: the wire-only tests (no store) and the ones driving the AWS CLI
          // (each call costs seconds of Python start-up; the SDK tests cover the same server paths) or
          // rclone, s3cmd, minio-go, Perl's S3 libraries, restic, duplicity and s3backer (the S3 example's clients: Castellan's store sees only AuthorizeRequest),
          // the browser tests of the console (it reaches the store only through the same IAM calls),
          // the credential providers of the CLI, boto3 and the SDK for JavaScript (a child process each,
          // reaching the same STS calls as the SDK tests), and
          // /healthz on a full disk (the disk is SQLite's; PostgreSQL's is out of the test's reach).
          exclude: ['test/e2e/wire.test.ts', 'test/e2e/cli-*.test.ts', 'test/e2e/*-cli.test.ts', 'test/e2e/credential-providers.test.ts', 'test/e2e/authorizer-s3-tools.test.ts', 'test/e2e/authorizer-s3-minio-go.test.ts', 'test/e2e/compat-perl-s3.test.ts', 'test/e2e/compat-restic.test.ts', 'test/e2e/compat-duplicity.test.ts', 'test/e2e/compat-s3backer.test.ts', 'test/e2e/healthz-disk-full.test.ts', 'test/e2e/console-*.test.ts', '**/node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          env: { CASTELLAN_E2E_DIALECT: 'postgres', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        },
      },
      ...fuzzProjects,
    ],
  },
});
