/**
 * Runs infra/buildspec.yml for real with bash, in a temporary folder, with fake `aws`, `git`, `pip` and `make`
 * first on PATH. The fakes append one line per call to a log (tool, folder, AWS_ACCESS_KEY_ID, arguments, extra)
 * and behave just enough like the real tools for the script to go on.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILDSPEC_FILE } from '../../../infra/buildspec';
import { loadBuildspec as loadLocalBuildspec } from '../../../cli/local/local-buildspec';

/** The buildspec's commands in CodeBuild's phase order (read as local mode reads a buildspec). */
export function buildspecCommands(path = BUILDSPEC_FILE): string[] {
  return loadLocalBuildspec(path).phases.flatMap((phase) => phase.commands);
}

export interface LogLine {
  readonly tool: string;
  /** Last segment of the working folder. */
  readonly folder: string;
  /** AWS_ACCESS_KEY_ID seen by the tool, '-' when unset. */
  readonly accessKey: string;
  readonly args: string;
  readonly extra: string;
}

export interface BuildRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly log: LogLine[];
  readonly root: string;
  readonly workDir: string;
}

const COMMON = `
log() { printf '%s\\t%s\\t%s\\t%s\\t%s\\n' "$TOOL" "\${PWD##*/}" "\${AWS_ACCESS_KEY_ID:--}" "$*" "\${EXTRA:-}" >> "$FAKE_LOG"; }
`;

const FAKE_GIT = `#!/usr/bin/env bash
TOOL=git
${COMMON}
dir=$PWD
args=("$@")
while [[ $# -gt 0 ]]; do
  case $1 in
    -C) dir=$2; shift 2 ;;
    -c) shift 2 ;;
    *) break ;;
  esac
done
EXTRA="dir=\${dir##*/}" log "\${args[@]}"
cmd=$1; shift
last=\${!#}
case $cmd in
  clone)
    [[ -z \${FAKE_CLONE_FAILS:-} ]] || { echo "fatal: clone refused" >&2; exit 128; }
    mkdir -p "$last/.git"; cp -R "$FAKE_SETTINGS_SOURCE/." "$last/" ;;
  init) mkdir -p "$last/.git" ;;
  fetch)
    if [[ -n \${FAKE_FETCH_REFUSES_SHA:-} && $last =~ ^[0-9a-f]{40}$ ]]; then echo "fatal: not our ref" >&2; exit 128; fi ;;
  checkout)
    rev=
    for a in "$@"; do case $a in -*) ;; *) rev=$a ;; esac; done
    printf '%s\\n' "$rev" > "$dir/.git/FAKE_HEAD" ;;
  rev-parse)
    case $last in
      HEAD)
        if [[ \${dir##*/} == settings && -n \${FAKE_SETTINGS_HEAD:-} ]]; then echo "$FAKE_SETTINGS_HEAD"; else cat "$dir/.git/FAKE_HEAD"; fi ;;
      FETCH_HEAD*) echo "$FAKE_FETCH_HEAD" ;;
      *) exit 128 ;;
    esac ;;
esac
`;

const FAKE_AWS = `#!/usr/bin/env bash
TOOL=aws
${COMMON}
log "$@"
role= output=json
while [[ $# -gt 0 ]]; do
  case $1 in
    --role-arn=*) role=\${1#*=}; shift ;;
    --output) output=$2; shift 2 ;;
    *) shift ;;
  esac
done
[[ -z \${FAKE_AWS_FAILS:-} ]] || { echo "An error occurred (AccessDenied) when calling the AssumeRole operation" >&2; exit 254; }
name=\${role##*/}
key=ASIA$(printf '%s' "$name" | tr -cd 'A-Za-z0-9' | tr 'a-z' 'A-Z')
if [[ $output == text ]]; then
  printf '%s\\t%s\\t%s\\n' "$key" "secret-$name" "token-$name"
else
  printf '{"Credentials":{"AccessKeyId":"%s","SecretAccessKey":"secret-%s","SessionToken":"token-%s"}}\\n' "$key" "$name" "$name"
fi
`;

const FAKE_MAKE = `#!/usr/bin/env bash
TOOL=make
${COMMON}
settings=no; [[ -f settings.yaml ]] && settings=yes
EXTRA="settings=$settings from-variables=\${SPA_FROM_VARIABLES:-} venv=\${VIRTUAL_ENV:+yes} secret=\${AWS_SECRET_ACCESS_KEY:--}" log "$@"
[[ $1 != "\${FAKE_MAKE_FAILS:-}" ]] || { echo "make: *** [$1] Error 2" >&2; exit 2; }
if [[ $1 == setup ]]; then mkdir -p venv/bin; echo 'export VIRTUAL_ENV="$PWD/venv"' > venv/bin/activate; fi
`;

const FAKE_PIP = `#!/usr/bin/env bash
TOOL=pip
${COMMON}
log "$@"
`;

export const SETTINGS_COMMIT = 'a'.repeat(40);
export const SPA_COMMIT = 'b'.repeat(40);
export const READ_ROLE = 'arn:aws:iam::111111111111:role/spa-cd-read-settings';
export const DEPLOY_ROLE = 'arn:aws:iam::333333333333:role/spa-cd-deploy-prod';
export const READ_KEY = 'ASIASPACDREADSETTINGS';
export const DEPLOY_KEY = 'ASIASPACDDEPLOYPROD';

/** Inputs of a valid build: StartBuild overrides and project variables. */
export function validInputs(): Record<string, string> {
  return {
    SPA_CD_DEPLOYMENT_ID: 'prod-aaaaaaaaaaaa-1a2b3c4d5e',
    SPA_CD_ENVIRONMENT: 'prod',
    SPA_CD_ENVIRONMENT_PATH: 'environments/prod',
    SPA_CD_SETTINGS_COMMIT: SETTINGS_COMMIT,
    SPA_CD_SPA_VERSION: 'v24.1.2',
    SPA_CD_SPA_COMMIT: SPA_COMMIT,
    SPA_CD_CODE_GIT_URL: 'https://github.com/reply-fr/sustainable-personal-accounts.git',
    SPA_CD_SETTINGS_REPOSITORY: 'spa-settings',
    SPA_CD_SETTINGS_REGION: 'eu-west-1',
    SPA_CD_READ_SETTINGS_ROLE_ARN: READ_ROLE,
    SPA_CD_DEPLOY_ROLE_ARN: DEPLOY_ROLE,
    SPA_CD_EXTERNAL_ID: 'spa-cd-example-external-id',
  };
}

export interface RunOptions {
  /** Environment variables added to (or, when undefined, removed from) the valid inputs. */
  readonly env?: Record<string, string | undefined>;
  /** Files of the settings repository as the fake clone creates it (path → content). */
  readonly settingsFiles?: Record<string, string>;
  /** Symbolic links of the settings repository (path → target). */
  readonly settingsLinks?: Record<string, string>;
}

const DEFAULT_SETTINGS_FILES: Record<string, string> = {
  'environments/prod/settings.yaml': 'environment_identifier: prod\n',
  'environments/prod/accounts.csv': 'Account\n',
  'environments/staging/settings.yaml': 'environment_identifier: staging\n',
  'README.md': 'settings\n',
};

export function runBuildspec(options: RunOptions = {}): BuildRun {
  const root = mkdtempSync(join(tmpdir(), 'spa-cd-buildspec-'));
  const bin = join(root, 'bin');
  const workDir = join(root, 'work');
  const source = join(root, 'settings-source');
  const logFile = join(root, 'calls.log');
  mkdirSync(bin);
  mkdirSync(workDir);
  writeFileSync(logFile, '');
  for (const [name, text] of Object.entries({ git: FAKE_GIT, aws: FAKE_AWS, make: FAKE_MAKE, pip: FAKE_PIP })) {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  }
  for (const [path, content] of Object.entries(options.settingsFiles ?? DEFAULT_SETTINGS_FILES)) {
    const target = join(source, path);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, content);
  }
  mkdirSync(source, { recursive: true });
  for (const [path, target] of Object.entries(options.settingsLinks ?? {})) symlinkSync(target, join(source, path));

  const env: Record<string, string> = {
    PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`,
    HOME: root,
    LANG: 'C.UTF-8',
    CODEBUILD_SRC_DIR: workDir,
    FAKE_LOG: logFile,
    FAKE_SETTINGS_SOURCE: source,
    FAKE_FETCH_HEAD: SPA_COMMIT,
    ...validInputs(),
  };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }

  let status: number | null = 0;
  let stdout = '';
  let stderr = '';
  for (const command of buildspecCommands()) {
    const result = spawnSync('bash', ['-c', command], { cwd: workDir, env, encoding: 'utf8', timeout: 20_000 });
    stdout += result.stdout;
    stderr += result.stderr;
    status = result.status;
    if (status !== 0) break; // CodeBuild stops the phase at the first failing command
  }
  const log = readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line): LogLine => {
      const [tool = '', folder = '', accessKey = '', args = '', extra = ''] = line.split('\t');
      return { tool, folder, accessKey, args, extra };
    });
  return { status, stdout, stderr, log, root, workDir };
}

export function removeRun(run: BuildRun): void {
  if (existsSync(run.root)) rmSync(run.root, { recursive: true, force: true });
}
