/**
 * Quoting for values from a repository that appear in a command a person may copy into a POSIX shell
 * (`spa-cd deploy --env <name>`): a plain word stays as is, anything else is single-quoted.
 */
const PLAIN_WORD = /^[A-Za-z0-9._/@%+=:,-]+$/;

export function shellQuote(value: string): string {
  const text = String(value);
  if (text.length > 0 && PLAIN_WORD.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `--name value`, or `--name=value` when the value starts with `-` (so no parser takes it for an option). */
export function shellOption(name: string, value: string): string {
  const quoted = shellQuote(value);
  return String(value).startsWith('-') ? `--${name}=${quoted}` : `--${name} ${quoted}`;
}
