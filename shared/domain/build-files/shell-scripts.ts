/**
 * Shell scripts of an environment folder and the commands of buildspec templates: what can be said without running
 * them. A script's first line (shebang), its line endings, whether a buildspec runs it as a program while git does
 * not record it as executable, and how a syntax outcome of shell-syntax.ts becomes a diagnostic at the right line.
 * Pure functions; never throw.
 */
import type { Diagnostic, Position } from '../settings/diagnostics';
import { shown } from '../settings/manifest-codes';
import { oneLine } from '../settings/variables-script';
import { buildFilesDiagnostic } from './codes';
import type { SyntaxOutcome } from './shell-syntax';

/** Interpreters whose language is bash (or close enough for a syntax check). */
const BASH_LIKE = new Set(['bash', 'sh', 'dash', 'ash', 'ksh']);

export interface ScriptTextCheck {
  readonly diagnostics: Diagnostic[];
  /** False when the shebang names another language (zsh, python, ...): the text is not checked as bash. */
  readonly bash: boolean;
}


/** The interpreter a `#!` line names (`bash` for `#!/usr/bin/env -S bash -e`), or undefined without one. */
export function shebangInterpreter(text: string): string | undefined {
  if (!text.startsWith('#!')) return undefined;
  const end = text.search(/\r?\n/);
  const line = text.slice(2, end < 0 ? undefined : end).trim();
  const words = line.split(/[ \t]+/).filter((w) => w !== '');
  let program = words[0] ?? '';
  let rest = words.slice(1);
  if (program.endsWith('/env')) {
    rest = rest.filter((w) => !w.startsWith('-') && !w.includes('='));
    program = rest[0] ?? '';
  }
  return program.split('/').pop() ?? '';
}

/** Shebang and line endings of a script; whether to check it as bash. */
export function checkScriptText(file: string, text: string): ScriptTextCheck {
  const diagnostics: Diagnostic[] = [];
  const start = { line: 1, column: 1 };
  if (text.startsWith('\ufeff')) {
    diagnostics.push(
      buildFilesDiagnostic(file, start, 'script-missing-shebang', 'the script starts with a UTF-8 byte-order mark, so the system does not see its #! line and bash reads the mark as part of the first command', 'save the file as UTF-8 without BOM'),
    );
  } else if (!text.startsWith('#!')) {
    diagnostics.push(
      buildFilesDiagnostic(
        file,
        start,
        'script-missing-shebang',
        'the script has no #! line: run directly, it is started by whatever shell runs the build (and fails with "Exec format error" when started by another program)',
        'make the first line #!/usr/bin/env bash',
      ),
    );
  }
  const carriage = text.indexOf('\r\n');
  if (carriage >= 0) {
    const line = text.slice(0, carriage).split('\n').length;
    const lineText = text.slice(text.lastIndexOf('\n', carriage) + 1, carriage);
    diagnostics.push(
      buildFilesDiagnostic(
        file,
        { line, column: [...lineText].length + 1 },
        'script-windows-line-endings',
        `the script has Windows line endings (CR LF, first on line ${line}): bash reads each carriage return as part of a command or value ("$'\\r': command not found", "bad interpreter")`,
        'convert the file to Unix line endings (dos2unix, or `git config core.autocrlf input` and commit again)',
      ),
    );
  }
  const interpreter = shebangInterpreter(text);
  return { diagnostics, bash: interpreter === undefined || BASH_LIKE.has(interpreter) };
}

/** A syntax outcome as a diagnostic (undefined when the text is valid). `what` names the text in the message. */
export function syntaxDiagnostic(file: string, outcome: SyntaxOutcome, positionOf: (index: number) => Position, what: string, hint: string): Diagnostic | undefined {
  if (outcome.kind === 'ok') return undefined;
  if (outcome.kind === 'not-analysed') {
    return buildFilesDiagnostic(file, positionOf(0), 'shell-not-analysed', `${what} was not checked: ${outcome.reason}`, 'keep commands and scripts short; if this one already is, report it to the spa-cd maintainers');
  }
  const message = oneLine(outcome.message);
  if (/^unclosed here-document/.test(message)) {
    return buildFilesDiagnostic(
      file,
      positionOf(outcome.index),
      'shell-heredoc-unterminated',
      `${what}: ${message}; bash reads the rest of the text as the here-document and warns ("delimited by end-of-file")`,
      'end the here-document with its delimiter alone on a line (no spaces before it unless <<- and tabs)',
    );
  }
  return buildFilesDiagnostic(file, positionOf(outcome.index), 'shell-syntax-error', `${what} is not valid bash: ${message}`, hint);
}

/** Line and column of a UTF-16 index of a text (1-based, columns in characters). */
export function textPositions(text: string): (index: number) => Position {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (index) => {
    const at = Math.max(0, Math.min(Number.isFinite(index) ? index : 0, text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= at) low = mid;
      else high = mid - 1;
    }
    const lineStart = starts[low] ?? 0;
    return { line: low + 1, column: [...text.slice(lineStart, at)].length + 1 };
  };
}

export interface ScriptEntry {
  readonly path: string;
  readonly kind: 'file' | 'executable';
}

/**
 * The script of the environment folder that a path run by a buildspec names, if exactly one fits: the script whose
 * path ends with the path as written (`./scripts/x.sh` → `.../scripts/x.sh`), else the only script of that name.
 * The build's working folder is not known here, so the match is by the end of the path.
 */
export function scriptRunBy(path: string, scripts: readonly ScriptEntry[]): ScriptEntry | undefined {
  const written = path.replace(/^(\.\/)+/, '').replace(/^\$\{?CODEBUILD_SRC_DIR\}?\//, '');
  if (written === '' || written.startsWith('/') || written.split('/').includes('..')) return undefined;
  const bySuffix = scripts.filter((s) => s.path === written || s.path.endsWith(`/${written}`));
  if (bySuffix.length === 1) return bySuffix[0];
  if (bySuffix.length > 1) return undefined;
  const name = written.split('/').pop() ?? '';
  const byName = scripts.filter((s) => s.path.split('/').pop() === name);
  return byName.length === 1 ? byName[0] : undefined;
}

export function notExecutableDiagnostic(file: string, at: Position, written: string, script: ScriptEntry): Diagnostic {
  return buildFilesDiagnostic(
    file,
    at,
    'script-not-executable',
    `this command runs ${shown(written)} as a program, but ${script.path} is not executable (git mode 100644, not 100755): the build would stop with "Permission denied"`,
    `make it executable in git (git update-index --chmod=+x ${script.path}), or run it as \`bash ${written}\``,
  );
}

