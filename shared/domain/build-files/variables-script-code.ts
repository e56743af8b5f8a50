/**
 * `variables.sh` should only set variables: the deployment build sources it with bash, inside the build that holds
 * the credentials to deploy SPA. Any command, pipeline, redirection or command substitution in it runs there. This
 * module reads the statements of parseShell (variables-script.ts: sh-syntax statements, shell-lexer.ts words) and
 * warns about each statement that does more than assign. Syntax errors are reported by the version pin check
 * (`variables-syntax-error`), not here. Never runs the file; never throws.
 */
import type { Diagnostic } from '../settings/diagnostics';
import { shown } from '../settings/manifest-codes';
import type { ShellWord, WordPart } from '../settings/shell-lexer';
import { simpleCommands } from '../settings/shell-lexer';
import { parseShell, type ShellParse, type ShellStatement } from '../settings/variables-script';
import { BUILD_FILES_CODES } from './codes';

/** Builtins that only declare or export variables. */
const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'readonly']);
const REDIRECTIONS = new Set(['<', '>', '>>', '>|', '<>', '<&', '>&', '&>', '&>>', '<<<', '<<', '<<-']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;
/** At most this many warnings for one file: one is enough to act on, a hostile file may have thousands. */
const MAX_FINDINGS = 20;

export async function checkVariablesScriptCode(file: string, text: string, parse: (file: string, text: string) => Promise<ShellParse> = parseShell): Promise<Diagnostic[]> {
  let parsed: ShellParse;
  try {
    parsed = await parse(file, text);
  } catch {
    return [];
  }
  if (!parsed.ok) return [];
  const diagnostics: Diagnostic[] = [];
  for (const statement of parsed.statements) {
    const reason = whatItRuns(statement);
    if (reason === undefined) continue;
    if (diagnostics.length >= MAX_FINDINGS) break;
    diagnostics.push({
      file,
      line: statement.line,
      column: statement.column,
      severity: BUILD_FILES_CODES['variables-script-runs-code'].severity,
      code: 'variables-script-runs-code',
      message: `this line ${reason}: the deployment build sources variables.sh, so it will run inside the deployment build, with its credentials`,
      hint: 'keep variables.sh to plain assignments (export NAME=value); write computed values literally, or compute them in a reviewed script of SPA',
    });
  }
  return diagnostics;
}

/** What a statement runs beyond assignments, in words; undefined for assignments and exports only. */
export function whatItRuns(statement: ShellStatement): string | undefined {
  const snippet = shown(statement.text.trim());
  if (statement.background) return `runs ${snippet} in the background (&)`;
  if (statement.coprocess) return `starts the coprocess ${snippet}`;
  const tokens = statement.tokens;
  const operators = tokens.flatMap((t) => (t.kind === 'operator' ? [t.op] : []));
  const { commands, plain } = simpleCommands(tokens);
  for (const command of commands) {
    const substitution = command.words.map(findSubstitution).find((s) => s !== undefined);
    if (substitution !== undefined) return `runs the command substitution ${shown(substitution)}`;
  }
  if (operators.some((op) => op === '|' || op === '|&')) return `runs the pipeline ${snippet}`;
  if (operators.some((op) => op === '&&' || op === '||')) return `runs the list of commands ${snippet}`;
  if (!plain || statement.negated) return `runs a compound command (if, loop, case, function, group or subshell): ${snippet}`;
  const redirection = operators.find((op) => REDIRECTIONS.has(op));
  for (const command of commands) {
    let k = 0;
    while (k < command.words.length && ASSIGNMENT.test(command.words[k]?.raw ?? '')) k += 1;
    const head = command.words[k];
    if (head === undefined) continue;
    const name = head.parts.length === 1 && head.parts[0]?.kind === 'literal' ? head.parts[0].value : head.raw;
    if (!DECLARATIONS.has(name)) return `runs the command ${shown(name)}${redirection === undefined ? '' : ` and redirects its input or output (${shown(redirection)})`}`;
  }
  if (redirection !== undefined) return `redirects input or output (${shown(redirection)}), reading or writing a file`;
  return undefined;
}

/** The first `$(...)`, backquoted command or process substitution in a word, as written. */
function findSubstitution(word: ShellWord): string | undefined {
  const visit = (parts: readonly WordPart[]): string | undefined => {
    for (const part of parts) {
      if (part.kind === 'command-substitution' || part.kind === 'process-substitution') return part.raw;
      if (part.kind === 'double-quoted') {
        const inner = visit(part.parts);
        if (inner !== undefined) return inner;
      }
      if (part.kind === 'arithmetic' || part.kind === 'parameter' || part.kind === 'array') {
        const inner = part.kind === 'arithmetic' ? part.raw.slice(3) : part.raw;
        if (/\$\((?!\()|`|<\(|>\(/.test(inner)) return part.raw;
      }
    }
    return undefined;
  };
  return visit(word.parts);
}
