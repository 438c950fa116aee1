import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from './find-executable';
import { withFileLock } from './file-lock';
import { stderrLog, type LogFn } from './log';
import { runCommand, tailForError } from './run-command';

export interface EnsureDebianPackagesOptions {
  /** May run apt-get when something is missing (default true; only possible as root). */
  install?: boolean;
  log?: LogFn;
  /**
   * True when what the caller needs is present (e.g. a binary exists). Checked first (nothing to
   * do) and after apt-get, where it decides success even if apt-get reported an error unrelated to
   * the caller (such as a package's post-install script failing to start a system service).
   * Default: dpkg says every package is installed.
   */
  binaryCheck?: () => boolean | Promise<boolean>;
  /** Appended to the error when the packages cannot be installed, e.g. "or set REDIS_URL …". */
  alternative?: string;
}

const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]*$/;
/** At most one `apt-get update` per process. */
let aptUpdate: Promise<void> | undefined;

/**
 * Makes sure Debian packages are installed, installing them with apt-get when allowed (root, apt
 * present, `install` not false). Concurrent callers (in this or other processes) are serialized by
 * a lock so only one apt-get runs at a time.
 */
export async function ensureDebianPackages(
  packages: string[],
  opts: EnsureDebianPackagesOptions = {},
): Promise<void> {
  for (const name of packages) {
    if (!PACKAGE_NAME.test(name))
      throw new Error(`invalid Debian package name ${JSON.stringify(name)}`);
  }
  const log = opts.log ?? stderrLog;
  const check = opts.binaryCheck ?? (() => debianPackagesInstalled(packages));
  if (await check()) return;

  const aptGet = findExecutable('apt-get', ['/usr/bin', '/bin', '/usr/sbin']);
  const isRoot = process.getuid?.() === 0;
  let obstacle: string | undefined;
  if (opts.install === false) obstacle = 'automatic installation is disabled';
  else if (!aptGet) obstacle = 'apt-get was not found';
  else if (!isRoot) obstacle = 'not running as root, so it cannot be installed automatically';
  if (obstacle || !aptGet) {
    throw new Error(
      missingMessage(packages, obstacle ?? 'apt-get was not found', opts.alternative),
    );
  }

  await withFileLock(
    join(tmpdir(), 'scf-portal-apt.lock'),
    async () => {
      if (await check()) return; // another process installed them while we waited
      await aptGetUpdateOnce(aptGet, log);
      const list = packages.join(' ');
      log(`[apt] apt-get install -y --no-install-recommends ${list}`);
      const started = Date.now();
      const result = await runCommand(
        aptGet,
        ['install', '-y', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=300', ...packages],
        { env: aptEnv(), timeoutMs: 15 * 60_000 },
      );
      const present = await check();
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (result.code !== 0 && !present) {
        throw new Error(
          `apt-get install ${list} failed (exit code ${result.code}); ` +
            `${missingMessage(packages, 'automatic installation failed', opts.alternative)}` +
            tailForError(result.stdout + result.stderr),
        );
      }
      if (result.code !== 0) {
        log(
          `[apt] apt-get exited with code ${result.code}, but ${list} is usable; continuing. ` +
            `Last lines:${tailForError(result.stdout + result.stderr, 5)}`,
        );
      } else if (!present) {
        throw new Error(`apt-get installed ${list}, but the expected files are still missing`);
      }
      log(`[apt] installed ${list} in ${seconds} s`);
    },
    { timeoutMs: 20 * 60_000, purpose: `apt-get install ${packages.join(' ')}`, log },
  );
}

/** True when dpkg reports every package as installed. */
export async function debianPackagesInstalled(packages: string[]): Promise<boolean> {
  const dpkgQuery = findExecutable('dpkg-query', ['/usr/bin', '/bin']);
  if (!dpkgQuery || packages.length === 0) return packages.length === 0;
  const result = await runCommand(dpkgQuery, ['-W', '-f=${Status}\\n', ...packages], {
    timeoutMs: 30_000,
  });
  if (result.code !== 0) return false;
  const lines = result.stdout.trim().split('\n');
  return (
    lines.length === packages.length && lines.every((l) => l.trim() === 'install ok installed')
  );
}

async function aptGetUpdateOnce(aptGet: string, log: LogFn): Promise<void> {
  aptUpdate ??= (async () => {
    log('[apt] apt-get update');
    const started = Date.now();
    const result = await runCommand(aptGet, ['update', '-o', 'DPkg::Lock::Timeout=300'], {
      env: aptEnv(),
      timeoutMs: 10 * 60_000,
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.code !== 0) {
      // Stale lists may still be enough for the install; its error will tell otherwise.
      log(
        `[apt] apt-get update failed (exit code ${result.code}) after ${seconds} s; trying the install anyway` +
          tailForError(result.stdout + result.stderr, 5),
      );
    } else {
      log(`[apt] apt-get update done in ${seconds} s`);
    }
  })();
  return aptUpdate;
}

function aptEnv(): NodeJS.ProcessEnv {
  return { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
}

function missingMessage(packages: string[], obstacle: string, alternative?: string): string {
  const list = packages.join(' ');
  return (
    `Missing Debian package${packages.length > 1 ? 's' : ''} ${list} (${obstacle}). ` +
    `Install with: apt-get install ${list}` +
    (alternative ? `, ${alternative}` : '') +
    '.'
  );
}
