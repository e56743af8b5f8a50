import { BuildspecError, loadBuildspec, parseBuildspec } from '../../cli/local/local-buildspec';
import { DEFAULT_LOCAL_BUILDSPEC } from '../../cli/local/example-repository';
import { BUILDSPEC_FILE } from '../../infra/buildspec';

describe('Function: parseBuildspec', () => {
  it('reads phases in CodeBuild order with commands, finally and on-failure, and env variables as strings', () => {
    const spec = parseBuildspec(
      `version: 0.2
env:
  variables:
    COUNT: 3
phases:
  post_build:
    commands: [echo post]
  build:
    on-failure: CONTINUE
    commands: [echo build]
    finally: [echo cleanup]
`,
      'b.yml',
    );

    expect(spec.variables).toEqual({ COUNT: '3' });
    expect(spec.phases).toEqual([
      { name: 'build', commands: ['echo build'], finally: ['echo cleanup'], onFailure: 'CONTINUE' },
      { name: 'post_build', commands: ['echo post'], finally: [], onFailure: 'ABORT' },
    ]);
  });

  it.each([
    ['not YAML', 'phases: [', 'not valid YAML'],
    ['another version', 'version: 0.1\nphases: {build: {commands: [x]}}', 'version must be 0.2'],
    ['an unknown phase', 'version: 0.2\nphases: {deploy: {commands: [x]}}', 'unknown phase deploy'],
    ['a command that is not a string', 'version: 0.2\nphases: {build: {commands: [{a: 1}]}}', 'phases.build.commands[0] must be a string'],
    ['another shell', 'version: 0.2\nenv: {shell: sh}\nphases: {build: {commands: [x]}}', 'env.shell must be bash'],
    ['a bad variable name', 'version: 0.2\nenv: {variables: {"A-B": 1}}\nphases: {build: {commands: [x]}}', "'A-B' is not a valid variable name"],
    ['no command at all', 'version: 0.2\nphases: {build: {commands: []}}', 'no phase has commands'],
  ])('refuses %s with a message naming the file', (_what, text, message) => {
    expect(() => parseBuildspec(text, 'b.yml')).toThrow(BuildspecError);
    expect(() => parseBuildspec(text, 'b.yml')).toThrow(new RegExp(`^b\\.yml: .*${message.replace(/[.*[\]()]/g, '\\$&')}`));
  });

  it('reads the default local buildspec and the real one', () => {
    expect(loadBuildspec(DEFAULT_LOCAL_BUILDSPEC).phases.map((p) => p.name)).toEqual(['pre_build', 'build', 'post_build']);
    expect(loadBuildspec(BUILDSPEC_FILE).phases.map((p) => p.name)).toEqual(['build']);
  });
});
