import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { HarnessError } from '../errors.ts';
import { cacheDir } from '../paths.ts';
import { HAPROXY_PATH, toolPath } from '../setup/tools.ts';
import { forgetRun, recordChild } from './process-registry.ts';
import { registerCleanup, registerLastResort } from './reaper.ts';
import {
  expandEnvironment,
  expandPlaceholders,
  type ChangedFile,
  type Component,
  type ComponentSpec,
  type ComponentStatus,
  type Endpoint,
  type ExecResult,
  type BaseProgram,
  type Placeholders,
  type Runtime,
} from './types.ts';

type BaseSpec = ComponentSpec & { program: BaseProgram };

const STOP_GRACE_MS = 2000;
const DEFAULT_READY_MS = 30_000;

function hostExecutable(executable: BaseProgram['executable']): string {
  switch (executable) {
    case 'node':
      return process.execPath;
    case 'toxiproxy':
      return toolPath('toxiproxy');
    case 'haproxy':
      return HAPROXY_PATH;
  }
}

/** Components as child processes, each on its own 127.x.y.z address so ports never clash. */
export class ProcessRuntime implements Runtime {
  readonly kind = 'process';
  readonly runId: string;
  readonly #logDir: string;
  readonly #addresses = new Map<string, string>();
  readonly #components: ProcessComponent[] = [];
  readonly #unregister: Array<() => void>;
  #disposed = false;

  constructor(options: { runId: string; logDir: string }) {
    this.runId = options.runId;
    this.#logDir = options.logDir;
    this.#unregister = [
      registerCleanup(() => this.dispose()),
      registerLastResort(() => this.#components.forEach((component) => component.killNow())),
    ];
  }

  addressOf(name: string): string {
    let address = this.#addresses.get(name);
    if (!address) {
      do address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
      while ([...this.#addresses.values()].includes(address));
      this.#addresses.set(name, address);
    }
    return address;
  }

  bindAddressOf(name: string): string {
    return this.addressOf(name);
  }

  async start(spec: ComponentSpec): Promise<Component> {
    if ('image' in spec.program) {
      throw new HarnessError('usage', `${spec.name} runs the image ${spec.program.image}, which only the docker runtime can run (use --runtime docker)`);
    }
    return this.#startBase({ ...spec, program: spec.program });
  }

  async #startBase(spec: BaseSpec): Promise<Component> {
    const address = this.addressOf(spec.name);
    await Promise.all(spec.ports.map((port) => assertFree(address, port, spec.name)));
    const runDir = path.join(cacheDir, 'runs', this.runId);
    // Dotted, so no component's own folder can be it.
    const placeholders = { bind: address, files: path.join(runDir, spec.name), shared: path.join(runDir, '.shared') };
    mkdirSync(placeholders.files, { recursive: true });
    mkdirSync(placeholders.shared, { recursive: true });
    mkdirSync(this.#logDir, { recursive: true });
    for (const file of spec.program.files ?? []) {
      writeFileSync(path.join(placeholders.files, file.name), expandPlaceholders(file.content, placeholders));
    }
    const component = new ProcessComponent(spec, placeholders, path.join(this.#logDir, `${spec.name}.log`), this.runId);
    this.#components.push(component);
    await component.launch();
    return component;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await Promise.allSettled(this.#components.map((component) => component.stop()));
    await Promise.allSettled(this.#components.map((component) => component.closeLog()));
    forgetRun(this.runId);
    this.#unregister.forEach((unregister) => unregister());
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

class ProcessComponent implements Component {
  readonly name: string;
  readonly #spec: BaseSpec;
  readonly #placeholders: Placeholders;
  readonly #log: WriteStream;
  readonly #runId: string;
  #output = '';
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #paused = false;
  #heapLimitBytes: number | undefined;

  constructor(spec: BaseSpec, placeholders: Placeholders, logFile: string, runId: string) {
    this.name = spec.name;
    this.#spec = spec;
    this.#placeholders = placeholders;
    this.#runId = runId;
    this.#heapLimitBytes = spec.memoryLimitBytes;
    this.#log = createWriteStream(logFile, { flags: 'a' });
  }

  #env(): NodeJS.ProcessEnv {
    // IJIWARU_RUN marks every process of the run, so the OS's own listing can tell what a run left.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      ...expandEnvironment(this.#spec.env, this.#placeholders),
      BIND_HOST: this.#placeholders.bind,
      IJIWARU_RUN: this.#runId,
    };
    if (this.#heapLimitBytes && this.#spec.program.executable === 'node') {
      env.NODE_OPTIONS = `--max-old-space-size=${Math.max(16, Math.floor(this.#heapLimitBytes / 2 ** 20))}`;
    }
    return env;
  }

  async launch(): Promise<void> {
    const program = this.#spec.program;
    const args = program.args.map((arg) => expandPlaceholders(arg, this.#placeholders));
    const child = spawn(hostExecutable(program.executable), args, {
      cwd: program.appDir ?? this.#placeholders.files,
      env: this.#env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.#paused = false;
    if (child.pid) recordChild(this.#runId, child.pid);
    const capture = (chunk: Buffer) => {
      this.#output += chunk.toString('utf8');
      this.#log.write(chunk);
    };
    child.stdout?.on('data', capture);
    child.stderr?.on('data', capture);
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('error', (error) => capture(Buffer.from(`ijiwaru: cannot start ${this.name}: ${error.message}\n`)));
    await this.#waitReady(child, this.#output.length);
  }

  async #waitReady(child: ChildProcess, outputFrom: number): Promise<void> {
    const limitMs = this.#spec.readyTimeoutMs ?? DEFAULT_READY_MS;
    const deadline = Date.now() + limitMs;
    const ready = this.#spec.ready;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      if (ready.kind === 'log' && ready.pattern.test(this.#output.slice(outputFrom))) return;
      if (ready.kind === 'http' && (await httpReady(this.#placeholders.bind, ready.port, ready.path))) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const tail = this.#output.trim().split('\n').pop() ?? '';
    this.killNow();
    throw new HarnessError(
      'target-not-ready',
      `${this.name} did not become ready within ${limitMs / 1000} s` + (tail ? `; its last log line: ${tail}` : ''),
    );
  }

  endpoint(port: number): Endpoint {
    return { host: this.#placeholders.bind, port };
  }

  killNow(): void {
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (this.#paused) child.kill('SIGCONT');
    const timer = setTimeout(() => this.killNow(), STOP_GRACE_MS);
    await this.#exited;
    clearTimeout(timer);
  }

  async kill(): Promise<void> {
    this.killNow();
    await this.#exited;
  }

  async pause(): Promise<void> {
    this.#child?.kill('SIGSTOP');
    this.#paused = true;
  }

  async resume(): Promise<void> {
    this.#child?.kill('SIGCONT');
    this.#paused = false;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  async logs(): Promise<string> {
    return this.#output;
  }

  exec(argv: string[]): Promise<ExecResult> {
    const [command = '', ...args] = argv;
    const program = command === 'node' ? process.execPath : command;
    return new Promise((resolve) => {
      const child = spawn(program, args, { cwd: this.#spec.program.appDir ?? this.#placeholders.files, env: this.#env() });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', (error) => resolve({ exitCode: 127, output: error.message }));
      child.on('close', (code) => resolve({ exitCode: code ?? 128, output }));
    });
  }

  async limitMemory(bytes: number): Promise<void> {
    if (this.#spec.program.executable !== 'node') {
      throw new HarnessError('target-spec', `${this.name}: a memory limit needs the docker runtime for a non-Node program`);
    }
    this.#heapLimitBytes = bytes;
    await this.restart();
  }

  async changedFiles(): Promise<ChangedFile[]> {
    // The process's world: its own files directory and the run's shared folder.
    const roots = [this.#placeholders.files, this.#placeholders.shared];
    const found = await Promise.all(roots.map((root) => readdir(root, { recursive: true, withFileTypes: true }).catch(() => [])));
    const files = found.flat().filter((entry) => entry.isFile());
    return Promise.all(files.map(async (entry) => {
      const where = path.join(entry.parentPath, entry.name);
      return { path: where, content: await readFile(where) };
    }));
  }

  async status(): Promise<ComponentStatus> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      const signal = child?.signalCode ? os.constants.signals[child.signalCode] : 0;
      return { state: 'exited', exitCode: child?.exitCode ?? 128 + signal };
    }
    return { state: this.#paused ? 'paused' : 'running', exitCode: null };
  }

  closeLog(): Promise<void> {
    return new Promise((resolve) => this.#log.end(resolve));
  }
}

async function httpReady(host: string, port: number, urlPath: string): Promise<boolean> {
  try {
    const response = await request(`http://${host}:${port}${urlPath}`, { headersTimeout: 1000, bodyTimeout: 1000 });
    await response.body.dump();
    return response.statusCode === 200;
  } catch {
    return false;
  }
}

function assertFree(host: string, port: number, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', () =>
      reject(new HarnessError('target-spec', `${name}: ${host}:${port} is already in use`)),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
