import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryIo } from '../../cli/cli-io';
import { main } from '../../cli/main';
import { loadInstallationConfig } from '../../infra/config/installation-config';
import { controllerEnvironment } from '../../infra/controller-environment';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('Command: spa-cd deploy on AWS', () => {
  const env = controllerEnvironment(loadInstallationConfig(join(ROOT, 'infra', 'config', 'example.json')));

  it.each([
    [['--table', 'another-table'], `--table another-table: deploy on AWS uses the controller's table ${env.SPA_CD_TABLE} (SPA_CD_TABLE)`],
    [['--region', 'ap-south-2'], `--region ap-south-2: deploy on AWS uses the controller's region ${env.SPA_CD_REGION}`],
  ])('refuses %j that is not the controller\'s (before any AWS call)', async (extra, message) => {
    const io = memoryIo(ROOT, { ...env });

    const code = await main(['deploy', '--env', 'sandbox', ...extra], io);

    expect({ code, stderr: io.stderr.trim() }).toEqual({ code: 2, stderr: `spa-cd: ${message}` });
  });
});
