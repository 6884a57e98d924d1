import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../harness/paths.ts';

const CLI = path.join(projectRoot, 'bin/ijiwaru.js');

/** Runs the ijiwaru command as a user would, on the test's Node, and collects what it printed. */
export function ijiwaru(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
