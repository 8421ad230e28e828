/**
 * `castellan agent`: serves a registered workload its role's credentials on loopback, in the EC2
 * metadata (IMDSv2) and ECS container shapes, until SIGTERM/SIGINT. See `workload-agent.ts`.
 */
import type { Command } from 'commander';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from './cli-io.js';
import { PROCESS_SERVE_IO, type ServeIo } from './serve.js';
import { CONTAINER_CREDENTIALS_PATH, DEFAULT_REFRESH_BEFORE_SECONDS, startWorkloadAgent } from './workload-agent.js';

interface AgentOptions {
  endpoint: string;
  secretFile: string;
  host: string;
  port: string;
  containerTokenFile?: string;
  refreshBeforeSeconds: string;
  allowHost: string[];
}

/**
 * The ECS route's token, from the contents of `--container-token-file`, taken as they are. The
 * workload's SDK reads the same file (`AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`) and sends it byte
 * for byte as its `Authorization` header, so a newline at its end (`openssl rand -hex 32 > FILE`,
 * `echo … > FILE`) breaks the SDK for JavaScript (`ERR_INVALID_CHAR`) and boto3 ("Auth token value
 * is not a legal header value"). The agent does not trim such a file, which would leave it working
 * where the workload fails: it refuses it, and a file that holds no token (which would otherwise
 * turn the route off unnoticed), naming the file.
 */
export function containerTokenOf(text: string, file: string): string {
  if (text.trim() === '') throw new Error(`--container-token-file ${file} holds no token (leave the option out to turn the ECS route off)`);
  if (text.trim() !== text) {
    throw new Error(`--container-token-file ${file} begins or ends with whitespace (a newline?), which the AWS SDKs would send as part of the token (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) and fail on: write it without, e.g. printf %s "$(openssl rand -hex 32)" > ${file}`);
  }
  if (!/^[\x20-\x7e]+$/.test(text)) throw new Error(`--container-token-file ${file} holds characters an HTTP header cannot carry (only printable ASCII)`);
  return text;
}

/** Adds `agent` to the program. */
export function registerAgent(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void, serveIo: ServeIo = PROCESS_SERVE_IO): void {
  program.command('agent')
    .description('serve a registered workload its instance profile\'s role credentials (IMDSv2 and ECS formats) on loopback')
    .requiredOption('--endpoint <url>', 'the Castellan server, e.g. http://castellan.internal:8910')
    .requiredOption('--secret-file <file>', 'file holding the bootstrap secret of `castellan workload register`')
    .option('--host <host>', 'interface to listen on; keep it loopback', '127.0.0.1')
    .option('--port <port>', 'TCP port, 0 for any free one', '8911')
    .option('--allow-host <name>', 'a host name the workload reaches the agent by, besides localhost, IP addresses and --host (requests naming another Host are refused: DNS rebinding); repeatable', (name: string, names: string[]) => [...names, name], [] as string[])
    .option('--container-token-file <file>', 'file holding the token ECS clients must send (AWS_CONTAINER_AUTHORIZATION_TOKEN); without it the ECS route is off')
    .option('--refresh-before-seconds <n>', 'fetch a new session when the current one has less than this left (AWS CLI and boto3 refresh from 15 minutes before expiry)', String(DEFAULT_REFRESH_BEFORE_SECONDS))
    .action(async (opts: AgentOptions) => {
      try {
        const port = Number(opts.port);
        const refreshBeforeSeconds = Number(opts.refreshBeforeSeconds);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${opts.port}`);
        if (!Number.isFinite(refreshBeforeSeconds) || refreshBeforeSeconds < 0) throw new Error(`invalid --refresh-before-seconds ${opts.refreshBeforeSeconds}`);
        const bootstrapSecret = (await io.readFile(opts.secretFile)).trim();
        const token = opts.containerTokenFile !== undefined ? containerTokenOf(await io.readFile(opts.containerTokenFile), opts.containerTokenFile) : undefined;
        const agent = await startWorkloadAgent({
          endpoint: opts.endpoint,
          bootstrapSecret,
          host: opts.host,
          port,
          allowedHosts: opts.allowHost,
          refreshBeforeSeconds,
          warn: (message) => io.err(`castellan agent: ${message}`),
          ...(token !== undefined ? { containerAuthorizationToken: token } : {}),
        });
        io.out(`castellan agent listening on ${agent.url}`);
        io.out(`  AWS_EC2_METADATA_SERVICE_ENDPOINT=${agent.url}/`);
        if (token !== undefined) io.out(`  AWS_CONTAINER_CREDENTIALS_FULL_URI=${agent.url}${CONTAINER_CREDENTIALS_PATH}`);
        await serveIo.untilStopSignal();
        await agent.close();
        setExitCode(ExitCode.Ok);
      } catch (err) {
        io.err(`castellan agent: ${(err as Error).message}`);
        setExitCode(ExitCode.Error);
      }
    });
}
