import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Where the Debian package of the CLI v2 keeps botocore's data (its `--debug` output names it). */
const AWS_CLI_BOTOCORE_DATA = process.env['CASTELLAN_AWS_CLI_DATA'] ?? '/usr/lib/python3/dist-packages/awscli/botocore/data';

/**
 * Writes an STS endpoint rule set that sends every STS call of the CLI to `url`, keeping the
 * parameters of the CLI's own rule set so its endpoint provider accepts it. The CLI 2.9 has
 * neither AWS_ENDPOINT_URL nor `endpoint_url`, and its `--endpoint-url` does not reach the STS
 * client of its assume-role provider: point botocore's AWS_DATA_PATH at `dataDir` instead.
 */
export async function writeStsEndpointRuleSet(dataDir: string, url: string): Promise<void> {
  const original = JSON.parse(await readFile(join(AWS_CLI_BOTOCORE_DATA, 'sts/2011-06-15/endpoint-rule-set-1.json'), 'utf8')) as { version: string; parameters: unknown };
  const target = join(dataDir, 'sts', '2011-06-15', 'endpoint-rule-set-1.json');
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, JSON.stringify({ version: original.version, parameters: original.parameters, rules: [{ conditions: [], endpoint: { url, properties: {}, headers: {} }, type: 'endpoint' }] }));
}
