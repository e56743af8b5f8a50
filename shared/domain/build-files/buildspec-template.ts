/**
 * A buildspec template checked against CodeBuild's buildspec format (version 0.2): known keys only, the right YAML
 * types, phases with commands, `runtime-versions` in `install` only, scalar variable values. Every finding is at the
 * line and column of the key or value concerned. Also extracts what the other checks need: each command with a way
 * to place a character of it in the file, and the variables the template declares. Pure; never throws.
 *
 * The format: https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html (env, phases, reports,
 * artifacts, cache, proxy, batch, run-as). The YAML is read as PyYAML reads it (yaml-loader.ts): close to CodeBuild's
 * own reader for everything a buildspec holds.
 */
import type { Diagnostic, Position } from '../settings/diagnostics';
import { shown } from '../settings/manifest-codes';
import { loadYaml, scalarPyType, type LoadedScalarNode } from '../settings/yaml-loader';
import type { YamlMappingNode, YamlNode } from '../settings/yaml-node';
import { buildFilesDiagnostic, type BuildFilesCode } from './codes';
import { positionInScalar, sourceLines, type PositionInValue } from './scalar-positions';
import { closest } from './suggest';

export const PHASES = ['install', 'pre_build', 'build', 'post_build'] as const;

export interface BuildspecCommand {
  /** The command as CodeBuild hands it to the shell. */
  readonly text: string;
  /** `install`, `pre_build`, ... and `commands` or `finally`. */
  readonly phase: string;
  readonly block: 'commands' | 'finally';
  /** 1-based position in its list. */
  readonly number: number;
  /** Line and column in the template of a UTF-16 index of `text`. */
  readonly positionOf: PositionInValue;
}

export interface DeclaredVariable extends Position {
  readonly name: string;
  /** `variables`, `parameter-store`, `secrets-manager`. */
  readonly section: string;
}

export interface BuildspecCheck {
  readonly diagnostics: Diagnostic[];
  readonly commands: BuildspecCommand[];
  /** Names under env.variables, env.parameter-store and env.secrets-manager. */
  readonly declared: DeclaredVariable[];
  /** Names under env.exported-variables. */
  readonly exported: string[];
  /** `env.shell` as written, when set. */
  readonly shell?: string;
}

type Rule =
  | { readonly type: 'scalar'; readonly accepts?: RegExp; readonly expected?: string }
  | { readonly type: 'flag' }
  | { readonly type: 'list' }
  | { readonly type: 'string-or-list' }
  | { readonly type: 'variables'; readonly section: string }
  | { readonly type: 'map'; readonly keys: Readonly<Record<string, Rule>>; readonly what: string }
  | { readonly type: 'named'; readonly of: Rule }
  | { readonly type: 'phases' }
  | { readonly type: 'version' }
  | { readonly type: 'any' };

const SCALAR: Rule = { type: 'scalar' };
const FLAG: Rule = { type: 'flag' };
const LIST: Rule = { type: 'list' };

const ARTIFACT_KEYS: Record<string, Rule> = {
  files: LIST,
  name: SCALAR,
  'discard-paths': FLAG,
  'base-directory': SCALAR,
  'exclude-paths': { type: 'string-or-list' },
  'enable-symlinks': FLAG,
  's3-prefix': SCALAR,
};

const BUILDSPEC: Rule = {
  type: 'map',
  what: 'a buildspec',
  keys: {
    version: { type: 'version' },
    'run-as': SCALAR,
    env: {
      type: 'map',
      what: 'env',
      keys: {
        shell: { type: 'scalar', accepts: /^(bash|\/bin\/sh|powershell\.exe|cmd\.exe|pwsh\.exe|pwsh)$/, expected: 'bash or /bin/sh (Linux), powershell.exe or cmd.exe (Windows)' },
        variables: { type: 'variables', section: 'variables' },
        'parameter-store': { type: 'variables', section: 'parameter-store' },
        'secrets-manager': { type: 'variables', section: 'secrets-manager' },
        'exported-variables': LIST,
        'git-credential-helper': FLAG,
      },
    },
    proxy: { type: 'map', what: 'proxy', keys: { 'upload-artifacts': FLAG, logs: FLAG } },
    batch: { type: 'any' },
    phases: { type: 'phases' },
    reports: { type: 'named', of: { type: 'map', what: 'a report group', keys: { files: LIST, 'base-directory': SCALAR, 'discard-paths': FLAG, 'file-format': SCALAR } } },
    artifacts: {
      type: 'map',
      what: 'artifacts',
      keys: { ...ARTIFACT_KEYS, 'secondary-artifacts': { type: 'named', of: { type: 'map', what: 'a secondary artifact', keys: ARTIFACT_KEYS } } },
    },
    cache: {
      type: 'map',
      what: 'cache',
      keys: { key: SCALAR, 'fallback-keys': LIST, action: { type: 'scalar', accepts: /^(restore|save)$/, expected: 'restore or save' }, paths: LIST },
    },
  },
};

const PHASE_KEYS: Record<string, Rule> = {
  'run-as': SCALAR,
  'on-failure': { type: 'scalar', accepts: /^(ABORT|CONTINUE|RETRY(-.+)?)$/, expected: 'ABORT, CONTINUE, RETRY, RETRY-<count> or RETRY-<regex>' },
  'runtime-versions': { type: 'variables', section: 'runtime-versions' },
  commands: LIST,
  finally: LIST,
  steps: { type: 'any' },
};

export function checkBuildspecTemplate(file: string, text: string): BuildspecCheck {
  const check = new TemplateCheck(file, text);
  try {
    check.run();
  } catch (error) {
    check.report('buildspec-not-a-mapping', { line: 1, column: 1 }, `${file} could not be checked: ${error instanceof Error ? error.message : String(error)}`, 'report this to the spa-cd maintainers');
  }
  return check.result();
}

class TemplateCheck {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly commands: BuildspecCommand[] = [];
  private readonly declared: DeclaredVariable[] = [];
  private readonly exported: string[] = [];
  private shell: string | undefined;
  private lines: string[] | undefined;

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  result(): BuildspecCheck {
    return { diagnostics: this.diagnostics, commands: this.commands, declared: this.declared, exported: this.exported, ...(this.shell !== undefined ? { shell: this.shell } : {}) };
  }

  report(code: BuildFilesCode, at: Position, message: string, hint?: string): void {
    this.diagnostics.push(buildFilesDiagnostic(this.file, at, code, message, hint));
  }

  run(): void {
    const loaded = loadYaml(this.file, this.text);
    this.diagnostics.push(...loaded.diagnostics);
    const root = loaded.root;
    if (root === undefined) return;
    if (root.kind !== 'mapping') {
      this.report(
        'buildspec-not-a-mapping',
        root,
        root.kind === 'scalar' && root.value === null
          ? `${this.file} holds no buildspec (YAML reads it as empty); CodeBuild would refuse it`
          : `the top level of ${this.file} must be a mapping (version:, env:, phases:), but YAML reads ${describe(root)}`,
        'start the template with `version: 0.2` and a `phases:` section',
      );
      return;
    }
    if (!root.entries.some((e) => keyOf(e.key) === 'version')) {
      this.report('buildspec-invalid-version', root, `${this.file} has no version; CodeBuild refuses a buildspec without \`version: 0.2\``, 'add `version: 0.2` as the first line');
    }
    this.mapping(root, BUILDSPEC as Extract<Rule, { type: 'map' }>, '');
    if (this.commands.length === 0 && !this.diagnostics.some((d) => d.code === 'buildspec-phase-without-commands')) {
      this.report('buildspec-no-commands', root, `${this.file} runs no command: the build would do nothing`, 'add the commands of the preparation or purge under phases.build.commands');
    }
  }

  private mapping(node: YamlMappingNode, rule: Extract<Rule, { type: 'map' }>, path: string): void {
    for (const { key, value } of node.entries) {
      const name = keyOf(key);
      if (name === '<<') continue;
      const keyPath = path === '' ? String(name) : `${path}.${String(name)}`;
      const child = name === undefined ? undefined : rule.keys[name];
      if (child === undefined) {
        const suggestion = name === undefined ? undefined : closest(name, Object.keys(rule.keys));
        this.report(
          'buildspec-unknown-key',
          key,
          `${name === undefined ? `the key ${describe(key)}` : shown(keyPath)} is not a key of ${rule.what}; CodeBuild would refuse the buildspec`,
          suggestion ? `did you mean \`${suggestion}\`?` : `the keys of ${rule.what} are ${Object.keys(rule.keys).join(', ')}`,
        );
        continue;
      }
      this.value(value, child, keyPath);
    }
  }

  private value(node: YamlNode, rule: Rule, path: string): void {
    switch (rule.type) {
      case 'any':
        return;
      case 'version':
        this.version(node);
        return;
      case 'scalar':
        if (node.kind !== 'scalar' || node.value === null) {
          this.wrongType(node, path, 'a single value');
          return;
        }
        if (rule.accepts && !rule.accepts.test(String(node.value))) {
          this.report('buildspec-invalid-value', node, `${path} is ${shown(String(node.value))}, which CodeBuild does not accept`, `write ${rule.expected ?? 'a value CodeBuild accepts'}`);
          return;
        }
        if (path === 'env.shell') this.shell = String(node.value);
        return;
      case 'flag':
        if (node.kind === 'scalar' && (typeof node.value === 'boolean' || /^(yes|no)$/i.test(String(node.value)))) return;
        this.report('buildspec-invalid-value', node, `${path} is ${describe(node)}; CodeBuild accepts yes or no`, 'write yes or no');
        return;
      case 'list':
      case 'string-or-list':
        this.list(node, rule.type === 'string-or-list', path);
        if (path === 'env.exported-variables' && node.kind === 'sequence') {
          for (const item of node.items) if (item.kind === 'scalar' && typeof item.value === 'string') this.exported.push(item.value);
        }
        return;
      case 'variables':
        this.variables(node, rule.section, path);
        return;
      case 'map':
        if (node.kind !== 'mapping') {
          if (node.kind === 'scalar' && node.value === null) return;
          this.wrongType(node, path, 'a mapping of keys to values');
          return;
        }
        this.mapping(node, rule, path);
        return;
      case 'named':
        if (node.kind !== 'mapping') {
          if (node.kind === 'scalar' && node.value === null) return;
          this.wrongType(node, path, 'a mapping of names to settings');
          return;
        }
        for (const { key, value } of node.entries) this.value(value, rule.of, `${path}.${String(keyOf(key) ?? '?')}`);
        return;
      case 'phases':
        this.phases(node);
        return;
    }
  }

  private version(node: YamlNode): void {
    const value = node.kind === 'scalar' ? node.value : undefined;
    const text = typeof value === 'number' || typeof value === 'string' ? String(value) : undefined;
    if (text === '0.2') return;
    if (text === '0.1') {
      this.report(
        'buildspec-legacy-version',
        node,
        'version 0.1 runs each command in a shell of its own: a variable set by one command is gone in the next',
        'write `version: 0.2`',
      );
      return;
    }
    this.report('buildspec-invalid-version', node, `version is ${describe(node)}; CodeBuild knows version 0.2 (and the legacy 0.1)`, 'write `version: 0.2`');
  }

  private list(node: YamlNode, stringAllowed: boolean, path: string): void {
    if (node.kind === 'scalar' && (stringAllowed || node.value === null)) return;
    if (node.kind !== 'sequence') {
      this.wrongType(node, path, 'a list (each item on a line starting with -)');
      return;
    }
    for (const item of node.items) this.listItem(item, path);
  }

  private listItem(item: YamlNode, path: string): boolean {
    if (item.kind === 'scalar' && item.value !== null) return true;
    if (item.kind === 'mapping') {
      this.report(
        'buildspec-wrong-type',
        item,
        `an item of ${path} is a mapping, not a string: YAML reads a colon followed by a space as a key, so CodeBuild refuses it`,
        'quote the whole item (- "echo key: value"), or write it as a block (- |) on the next lines',
      );
      return false;
    }
    this.report('buildspec-wrong-type', item, `an item of ${path} is ${describe(item)}, not a string`, item.kind === 'scalar' ? 'remove the empty item, or write the command after the -' : 'write one string per item');
    return false;
  }

  private variables(node: YamlNode, section: string, path: string): void {
    if (node.kind === 'scalar' && node.value === null) return;
    if (node.kind !== 'mapping') {
      this.wrongType(node, path, 'a mapping of names to values');
      return;
    }
    for (const { key, value } of node.entries) {
      const name = keyOf(key);
      if (name === undefined) {
        this.report('buildspec-wrong-type', key, `${path} has the key ${describe(key)}; variable names are strings`, 'write the name of the variable');
        continue;
      }
      if (section !== 'runtime-versions') {
        this.declared.push({ name, section, line: key.line, column: key.column });
        if (name.startsWith('CODEBUILD_')) {
          this.report('buildspec-reserved-variable', key, `${path}.${name}: names starting with CODEBUILD_ are reserved by CodeBuild`, 'rename the variable');
        }
      }
      if (value.kind !== 'scalar') {
        this.report(
          'buildspec-wrong-type',
          value,
          `${path}.${name} is ${describe(value)}; CodeBuild variable values are single strings (a number or boolean is read as text)`,
          'write the value on one line, quoted if it holds special characters, or pass a JSON text as a quoted string',
        );
      }
    }
  }

  private phases(node: YamlNode): void {
    if (node.kind === 'scalar' && node.value === null) return;
    if (node.kind !== 'mapping') {
      this.wrongType(node, 'phases', 'a mapping of phases (install, pre_build, build, post_build)');
      return;
    }
    for (const { key, value } of node.entries) {
      const phase = keyOf(key);
      if (phase === undefined || !(PHASES as readonly string[]).includes(phase)) {
        const suggestion = phase === undefined ? undefined : closest(phase, PHASES);
        this.report(
          'buildspec-unknown-key',
          key,
          `${phase === undefined ? describe(key) : shown(`phases.${phase}`)} is not a CodeBuild phase; CodeBuild would refuse the buildspec`,
          suggestion ? `did you mean \`${suggestion}\`?` : `the phases are ${PHASES.join(', ')}`,
        );
        continue;
      }
      this.phase(phase, key, value);
    }
  }

  private phase(phase: string, key: YamlNode, node: YamlNode): void {
    const path = `phases.${phase}`;
    if (node.kind === 'sequence') {
      this.report('buildspec-wrong-type', node, `${path} is a list; CodeBuild expects its commands under ${path}.commands`, `indent the list under a \`commands:\` key of ${phase}`);
      return;
    }
    if (node.kind !== 'mapping') {
      if (node.kind === 'scalar' && node.value === null) {
        this.report('buildspec-phase-without-commands', key, `${path} has no commands; CodeBuild refuses an empty phase`, `add commands under ${path}.commands, or remove the phase`);
      } else this.wrongType(node, path, 'a mapping with commands');
      return;
    }
    let commands = 0;
    let hasSteps = false;
    for (const { key: k, value } of node.entries) {
      const name = keyOf(k);
      if (name === '<<') continue;
      const rule = name === undefined ? undefined : PHASE_KEYS[name];
      if (rule === undefined || name === undefined) {
        const suggestion = name === undefined ? undefined : closest(name, Object.keys(PHASE_KEYS));
        this.report(
          'buildspec-unknown-key',
          k,
          `${name === undefined ? describe(k) : shown(`${path}.${name}`)} is not a key of a phase; CodeBuild would refuse the buildspec`,
          suggestion ? `did you mean \`${suggestion}\`?` : `a phase holds ${Object.keys(PHASE_KEYS).join(', ')}`,
        );
        continue;
      }
      if (name === 'runtime-versions' && phase !== 'install') {
        this.report(
          'buildspec-runtime-versions-outside-install',
          k,
          `${path}.runtime-versions: CodeBuild accepts runtime-versions only in the install phase`,
          'move runtime-versions under phases.install',
        );
        continue;
      }
      if (name === 'steps') hasSteps = true;
      if (name === 'commands' || name === 'finally') {
        commands += this.commandList(value, phase, name, `${path}.${name}`);
        continue;
      }
      this.value(value, rule, `${path}.${name}`);
    }
    const commandsEntry = node.entries.find((e) => keyOf(e.key) === 'commands');
    if (commandsEntry === undefined && !hasSteps) {
      this.report('buildspec-phase-without-commands', key, `${path} has no commands; CodeBuild refuses a phase without commands`, `add commands under ${path}.commands, or remove the phase`);
    } else if (commandsEntry !== undefined && commands === 0 && isEmptyList(commandsEntry.value)) {
      this.report('buildspec-phase-without-commands', commandsEntry.key, `${path}.commands is empty; CodeBuild refuses a phase without commands`, `add commands, or remove the phase`);
    }
  }

  /** The commands of one list, for the shell checks; returns how many there are. */
  private commandList(node: YamlNode, phase: string, block: 'commands' | 'finally', path: string): number {
    if (node.kind === 'scalar' && node.value === null) return 0;
    if (node.kind !== 'sequence') {
      this.wrongType(node, path, 'a list of commands (each on a line starting with -)');
      return 0;
    }
    let count = 0;
    for (const [position, item] of node.items.entries()) {
      if (!this.listItem(item, path) || item.kind !== 'scalar') continue;
      const text = typeof item.value === 'string' ? item.value : pythonText(item as LoadedScalarNode);
      this.lines ??= sourceLines(this.text);
      const lines = this.lines;
      let inScalar: PositionInValue | undefined;
      // built when first asked: most commands never need a position
      const positionOf: PositionInValue =
        typeof item.value === 'string' ? (index) => (inScalar ??= positionInScalar(lines, item, text))(index) : (): Position => ({ line: item.line, column: item.column });
      this.commands.push({ text, phase, block, number: position + 1, positionOf });
      count += 1;
    }
    return count;
  }

  private wrongType(node: YamlNode, path: string, expected: string): void {
    this.report('buildspec-wrong-type', node, `${path} is ${describe(node)}; CodeBuild expects ${expected}`, `write ${path} as ${expected}`);
  }
}

function isEmptyList(node: YamlNode): boolean {
  return (node.kind === 'sequence' && node.items.length === 0) || (node.kind === 'scalar' && node.value === null);
}

function keyOf(node: YamlNode): string | undefined {
  return node.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

/** A non-string scalar as CodeBuild would read it: as written. */
function pythonText(node: LoadedScalarNode): string {
  return node.text ?? String(node.value);
}

function describe(node: YamlNode): string {
  if (node.kind === 'sequence') return 'a list';
  if (node.kind === 'mapping') return 'a mapping';
  const type = scalarPyType(node);
  switch (type) {
    case 'NoneType':
      return 'empty (null)';
    case 'str':
      return `the text ${shown(String(node.value))}`;
    case 'bool':
      return `the boolean ${String(node.value)}`;
    case 'int':
    case 'float':
      return `the number ${(node as LoadedScalarNode).text ?? String(node.value)}`;
    default:
      return `a ${type}`;
  }
}
