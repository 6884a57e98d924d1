import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { HarnessError } from '../errors.ts';
import { toolsBinDir } from '../paths.ts';
import { hasProgram, runCommand } from '../command.ts';
import { aptInstall, mayInstallDebianPackages } from './debian.ts';

type Say = (line: string) => void;

interface GoTool {
  name: string;
  version: string;
  /** The module path handed to `go install`. */
  module: string;
  ldflags: string;
}

/**
 * Pinned Go tools. k6 is pinned at v1.8.1: v2.3.0 (named in TOOLING.md) is refused by the Go module
 * proxy reachable here ("not available"), and v1.8.1 already runs TypeScript scripts natively.
 */
export const GO_TOOLS = {
  toxiproxy: {
    name: 'toxiproxy',
    version: '2.12.0',
    module: 'github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0',
    ldflags: '-s -w -X github.com/Shopify/toxiproxy/v2.Version=2.12.0',
  },
  k6: { name: 'k6', version: '1.8.1', module: 'go.k6.io/k6@v1.8.1', ldflags: '-s -w' },
} as const satisfies Record<string, GoTool>;

export type GoToolName = keyof typeof GO_TOOLS;

/** Absolute path of a pinned tool's binary in the project cache. */
export function toolPath(name: GoToolName): string {
  const tool = GO_TOOLS[name];
  return path.join(toolsBinDir, `${tool.name}-${tool.version}`);
}

/** The Debian HAProxy binary used as the traffic distributor, on the host and in its image. */
export const HAPROXY_PATH = '/usr/sbin/haproxy';

export async function ensureTools(say: Say): Promise<void> {
  for (const name of Object.keys(GO_TOOLS) as GoToolName[]) {
    if (!existsSync(toolPath(name))) await goInstall(GO_TOOLS[name], say);
  }
  if (!existsSync(HAPROXY_PATH)) {
    if (!mayInstallDebianPackages()) {
      throw new HarnessError('tool-missing', `HAProxy is missing at ${HAPROXY_PATH}: install Debian's haproxy package`);
    }
    say('setup: installing Debian haproxy (first use)');
    await aptInstall(['haproxy'], 'tool-missing');
  }
}

async function goInstall(tool: GoTool, say: Say): Promise<void> {
  if (!hasProgram('go')) {
    throw new HarnessError('tool-missing', `Go is missing: install Go >= 1.24 so that setup can build ${tool.name} ${tool.version}`);
  }
  say(`setup: building ${tool.name} ${tool.version} with go install (first use)`);
  mkdirSync(toolsBinDir, { recursive: true });
  const gobin = mkdtempSync(path.join(toolsBinDir, '.build-'));
  try {
    const result = await runCommand('go', ['install', '-ldflags', tool.ldflags, tool.module], {
      env: { ...process.env, CGO_ENABLED: '0', GOBIN: gobin, GOFLAGS: '-mod=mod' },
    });
    if (result.code !== 0) {
      const last = result.stderr.trim().split('\n').pop() ?? '';
      throw new HarnessError('tool-missing', `go install ${tool.module} failed: ${last}`);
    }
    // `go install` names the binary after the last path element (toxiproxy's is "server").
    const built = path.join(gobin, path.basename(tool.module.split('@')[0] ?? tool.name));
    renameSync(built, toolPath(tool.name as GoToolName));
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
}
