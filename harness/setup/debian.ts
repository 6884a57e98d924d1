import { existsSync } from 'node:fs';
import { HarnessError, type ExpectedErrorKind } from '../errors.ts';
import { runCommand } from '../command.ts';

/** Setup may install Debian packages only as root on Debian; elsewhere it says what is missing. */
export function mayInstallDebianPackages(): boolean {
  return process.getuid?.() === 0 && existsSync('/etc/debian_version');
}

let listsFresh = false;

/** Installs Debian packages by name; a failure becomes one line carrying apt-get's complaint. */
export async function aptInstall(packages: string[], kind: ExpectedErrorKind): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!listsFresh) {
    const update = await runCommand('apt-get', ['update', '-qq'], { env });
    if (update.code !== 0) throw aptFailure(['update'], update.stderr, kind);
    listsFresh = true;
  }
  const args = ['install', '-y', '-qq', '--no-install-recommends', ...packages];
  const install = await runCommand('apt-get', args, { env });
  if (install.code !== 0) throw aptFailure(args, install.stderr, kind);
}

function aptFailure(args: string[], stderr: string, kind: ExpectedErrorKind): HarnessError {
  const last = stderr.trim().split('\n').pop() ?? '';
  return new HarnessError(kind, `apt-get ${args.join(' ')} failed: ${last}`);
}
