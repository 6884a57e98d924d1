import { mkdirSync, openSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from 'undici';
import { HarnessError } from '../errors.ts';
import { cacheDir } from '../paths.ts';
import { hasProgram } from '../command.ts';
import { aptInstall, mayInstallDebianPackages } from './debian.ts';

type Say = (line: string) => void;

const DEFAULT_SOCKET = '/var/run/docker.sock';
const ENGINE_START_LIMIT_MS = 60_000;

/** Where the engine is expected, as testcontainers and the docker CLI will look for it. */
export function engineLocation(): string {
  return process.env.DOCKER_HOST ?? `unix://${DEFAULT_SOCKET}`;
}

/** True when a Docker engine answers its ping at the expected location. */
export async function engineAnswers(): Promise<boolean> {
  const location = engineLocation();
  const client = location.startsWith('unix://')
    ? new Client('http://localhost', { socketPath: location.slice('unix://'.length) })
    : new Client(location.replace(/^tcp:/, 'http:'));
  try {
    const response = await client.request({ method: 'GET', path: '/_ping', headersTimeout: 3000, bodyTimeout: 3000 });
    await response.body.text();
    return response.statusCode === 200;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

function mayInstallEngine(): boolean {
  return mayInstallDebianPackages() && process.env.DOCKER_HOST === undefined;
}

/**
 * Makes sure a Docker engine answers. On a root Debian machine without one, installs Debian's
 * docker.io and starts dockerd in the background (it outlives the run, as a system service would).
 */
export async function ensureEngine(say: Say): Promise<void> {
  if (await engineAnswers()) return;
  if (!mayInstallEngine()) {
    throw new HarnessError(
      'engine-missing',
      `no Docker engine answers at ${engineLocation()}: start one (or point DOCKER_HOST at it), or use --runtime process`,
    );
  }
  if (!hasProgram('dockerd')) {
    say('setup: installing Debian docker.io (first use)');
    await aptInstall(['docker.io'], 'engine-missing');
  }
  say('setup: starting dockerd');
  mkdirSync(cacheDir, { recursive: true });
  const log = openSync(path.join(cacheDir, 'dockerd.log'), 'a');
  // Without the userland proxy a published port is plain NAT: a reset or a refusal from inside a
  // container reaches the harness as itself instead of being turned into a close by docker-proxy.
  const daemon = spawn('dockerd', ['--userland-proxy=false'], { detached: true, stdio: ['ignore', log, log] });
  daemon.unref();
  const deadline = Date.now() + ENGINE_START_LIMIT_MS;
  while (Date.now() < deadline) {
    if (await engineAnswers()) return;
    if (daemon.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new HarnessError(
    'engine-missing',
    `dockerd did not answer within ${ENGINE_START_LIMIT_MS / 1000} s (see ${path.join(cacheDir, 'dockerd.log')}); or use --runtime process`,
  );
}

