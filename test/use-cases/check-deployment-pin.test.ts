import { checkDeploymentPin } from '../../shared/use-cases/check-deployment-pin';
import type { VersionResolver } from '../../shared/ports/version-resolver';
import { MemorySource } from '../support/memory-source';

const COMMIT = 'c'.repeat(40);

describe('Use case: checkDeploymentPin', () => {
  it('reads the pin from deployment.yaml and the manifest flags with their defaults', async () => {
    const source = new MemorySource({ 'environments/prod/deployment.yaml': `spa_version: v1.4.0\nauto_deploy: no\n` });

    const result = await checkDeploymentPin(source, 'environments/prod');

    expect(result.diagnostics).toEqual([]);
    expect(result.pin).toMatchObject({ spaVersion: 'v1.4.0', autoDeploy: false, frozen: false, allowFloatingVersion: false });
  });

  it('takes the pin from variables.sh when deployment.yaml has none', async () => {
    const source = new MemorySource({ 'environments/prod/variables.sh': `export CODE_GIT_BRANCH="${COMMIT}"\n` });

    const result = await checkDeploymentPin(source, 'environments/prod');

    expect(result.pin.spaVersion).toBe(COMMIT);
    expect(result.pin.pin?.kind).toBe('commit');
  });

  it('reports a manifest that cannot be read once, without a spurious missing-pin error', async () => {
    const source = new MemorySource({
      'environments/prod/deployment.yaml': new Uint8Array([0x73, 0x70, 0x61, 0xff, 0x0a]),
    });

    const result = await checkDeploymentPin(source, 'environments/prod');

    expect(result.diagnostics.map((d) => d.code)).toEqual(['invalid-utf8']);
  });

  it('reports a deployment.yaml or variables.sh whose read fails as unreadable, not as a missing pin', async () => {
    const source = new MemorySource({ 'environments/prod/deployment.yaml': 'spa_version: v1.4.0\n', 'environments/prod/variables.sh': 'export X=1\n' });
    source.failing.add('environments/prod/deployment.yaml');
    source.failing.add('environments/prod/variables.sh');

    const result = await checkDeploymentPin(source, 'environments/prod');

    expect(result.diagnostics.map((d) => [d.file, d.code])).toEqual([
      ['environments/prod/deployment.yaml', 'file-unreadable'],
      ['environments/prod/variables.sh', 'file-unreadable'],
    ]);
  });

  it('reports no pin at all as an error on deployment.yaml', async () => {
    const result = await checkDeploymentPin(new MemorySource({}), 'environments/prod');

    expect(result.diagnostics).toEqual([expect.objectContaining({ file: 'environments/prod/deployment.yaml', code: 'pin-missing', severity: 'error' })]);
  });

  it('asks the resolver about the pin at the manifest URL and reports a branch without allow_floating_version', async () => {
    const asked: string[] = [];
    const resolver: VersionResolver = {
      resolve: async (url, pin) => {
        asked.push(`${url} ${pin}`);
        return { kind: 'branch', name: pin, commit: COMMIT };
      },
    };
    const source = new MemorySource({ 'environments/prod/deployment.yaml': 'spa_version: develop\n' });

    const result = await checkDeploymentPin(source, 'environments/prod', { resolver, defaultCodeGitUrl: 'https://git.example.com/spa.git' });

    expect(asked).toEqual(['https://git.example.com/spa.git develop']);
    expect(result.resolved).toEqual({ kind: 'branch', name: 'develop', commit: COMMIT });
    expect(result.diagnostics).toEqual([expect.objectContaining({ line: 1, column: 14, severity: 'error' })]);
  });
});
