/** Where a command writes and what it decides: tests run commands in-process and read all three. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  exitCode: number;
  /** Current working directory for relative paths. */
  readonly cwd: string;
  /** Environment variables (AWS profile, table name...). */
  readonly env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    exitCode: 0,
    // `npm run spa-cd -- <args>` (this package's own script) runs in the package folder: paths are meant from where the
    // user typed the command. Run from another package's script, the folder of that script is the right one.
    cwd: process.env.npm_package_name === 'spa-cd' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd(),
    env: process.env,
  };
}

/** An in-memory CliIo for tests. */
export function memoryIo(cwd: string, env: NodeJS.ProcessEnv = {}): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    exitCode: 0,
    cwd,
    env,
    out(text: string) {
      io.stdout += text.endsWith('\n') ? text : `${text}\n`;
    },
    err(text: string) {
      io.stderr += text.endsWith('\n') ? text : `${text}\n`;
    },
  };
  return io;
}
