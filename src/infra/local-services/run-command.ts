import { spawn } from 'node:child_process';

export interface RunCommandOptions {
  /** Run as this user/group (only possible when the current process is root). */
  uid?: number;
  gid?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the command (SIGKILL) and reject after this long. Default 60 s. */
  timeoutMs?: number;
}

export interface RunCommandResult {
  /** Exit code; -1 when the command was ended by a signal. */
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const MAX_CAPTURE = 256 * 1024;

/**
 * Runs a command with its output captured (never inherited: stdout of the caller stays clean).
 * Resolves with the exit code whatever it is; rejects only when the command cannot be started or
 * times out. Daemonizing commands are handled: if a grandchild keeps the pipes open after the
 * command itself exited, the result is returned shortly after the exit anyway.
 */
export async function runCommand(
  file: string,
  args: readonly string[],
  opts: RunCommandOptions = {},
): Promise<RunCommandResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise<RunCommandResult>((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      uid: opts.uid,
      gid: opts.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const keepTail = (acc: string, chunk: Buffer): string => {
      const next = acc + chunk.toString('utf8');
      return next.length > MAX_CAPTURE ? next.slice(next.length - MAX_CAPTURE) : next;
    };
    child.stdout.on('data', (chunk: Buffer) => (stdout = keepTail(stdout, chunk)));
    child.stderr.on('data', (chunk: Buffer) => (stderr = keepTail(stderr, chunk)));

    let settled = false;
    let exitGrace: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(
        new Error(
          `${file} ${args.join(' ')} did not finish within ${Math.round(timeoutMs / 1000)} s` +
            tailForError(stdout + stderr),
        ),
      );
    }, timeoutMs);

    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (exitGrace) clearTimeout(exitGrace);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ code: code ?? -1, signal, stdout, stderr });
    };
    child.once('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (exitGrace) clearTimeout(exitGrace);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      // 'close' normally follows at once; a daemon that inherited the pipes may delay it.
      exitGrace = setTimeout(() => finish(code, signal), 2000);
    });
    child.once('close', (code, signal) => finish(code, signal));
  });
}

/** The last lines of some output, formatted to append to an error message ('' when empty). */
export function tailForError(output: string, lines = 20): string {
  const tail = output.trimEnd().split('\n').slice(-lines).join('\n');
  return tail ? `\n${tail}` : '';
}
