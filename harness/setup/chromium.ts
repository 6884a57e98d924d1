import { existsSync } from 'node:fs';
import { HarnessError } from '../errors.ts';
import { aptInstall, mayInstallDebianPackages } from './debian.ts';
import type { Say } from './setup.ts';

/** Debian's Chromium: the browser the report's test opens report.html in (playwright-core drives it). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Finds Debian's Chromium, installing it on first use where setup may; returns the executable. */
export async function ensureChromium(say: Say): Promise<string> {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (!mayInstallDebianPackages()) {
    throw new HarnessError('tool-missing', `Chromium is missing at ${CHROMIUM_PATH}: install Debian's chromium package`);
  }
  say('setup: installing Debian chromium (first use)');
  await aptInstall(['chromium'], 'tool-missing');
  if (!existsSync(CHROMIUM_PATH)) throw new HarnessError('tool-missing', `apt-get installed chromium but ${CHROMIUM_PATH} is still missing`);
  return CHROMIUM_PATH;
}
