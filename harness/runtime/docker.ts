import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type Dockerode from 'dockerode';
import {
  GenericContainer,
  Wait,
  type ContainerRuntimeClient,
  type StartedTestContainer,
  type WaitStrategy,
} from 'testcontainers';
import { HarnessError } from '../errors.ts';
import type { ImageTags } from '../setup/images.ts';
import { filesOfArchive } from './archive.ts';
import { demultiplexLogs } from './docker-logs.ts';
import { engineClient } from './engine-client.ts';
import { ReadyLine } from './ready-line.ts';
import { registerCleanup } from './reaper.ts';
import {
  expandEnvironment,
  expandPlaceholders,
  OWNER_LABEL,
  RUN_LABEL,
  type ChangedFile,
  type Component,
  type ComponentSpec,
  type ComponentStatus,
  type Endpoint,
  type ExecResult,
  type Runtime,
} from './types.ts';

const FILES_DIR = '/etc/ijiwaru';
/** Where every container of a run sees the run's shared volume (`{shared}`). */
const SHARED_DIR = '/ijiwaru/shared';
const STOP_GRACE_S = 2;
const DEFAULT_READY_MS = 30_000;
/** How long a missing image may take to pull before the run gives up on it. */
const PULL_LIMIT_MS = 60_000;

function labels(runId: string): Record<string, string> {
  return { [OWNER_LABEL]: '1', [RUN_LABEL]: runId };
}

/**
 * The run's shared folder as a labelled volume rather than a host folder: it works on any engine,
 * and whatever reaps the run's containers by label (dispose, `ijiwaru clean`) reaps it too.
 */
const sharedVolume = (runId: string) => `ijiwaru-${runId}-shared`;

export class DockerRuntime implements Runtime {
  readonly kind = 'docker';
  readonly runId: string;
  readonly #client: ContainerRuntimeClient;
  readonly #images: ImageTags;
  readonly #networkName: string;
  readonly #logDir: string;
  readonly #components: DockerComponent[] = [];
  /** One check per image, however many components run it. */
  readonly #imageChecks = new Map<string, Promise<void>>();
  readonly #unregister: () => void;
  #disposed = false;

  private constructor(client: ContainerRuntimeClient, runId: string, images: ImageTags, logDir: string) {
    this.#client = client;
    this.runId = runId;
    this.#images = images;
    this.#logDir = logDir;
    this.#networkName = `ijiwaru-${runId}`;
    this.#unregister = registerCleanup(async () => void (await removeRun(client.container.dockerode, runId)));
  }

  /** Connects to the engine and creates the run's own network and shared volume. */
  static async create(options: { runId: string; images: ImageTags; logDir: string }): Promise<DockerRuntime> {
    const client = await engineClient();
    const runtime = new DockerRuntime(client, options.runId, options.images, options.logDir);
    await client.network.create({
      Name: runtime.#networkName,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: labels(options.runId),
    });
    await client.container.dockerode.createVolume({ Name: sharedVolume(options.runId), Labels: labels(options.runId) });
    return runtime;
  }

  addressOf(name: string): string {
    return name;
  }

  bindAddressOf(): string {
    return '0.0.0.0';
  }

  async start(spec: ComponentSpec): Promise<Component> {
    const program = spec.program;
    const placeholders = { bind: this.bindAddressOf(), files: FILES_DIR, shared: SHARED_DIR };
    const expand = (text: string) => expandPlaceholders(text, placeholders);
    const image = 'image' in program ? program.image : this.#images[program.executable];
    if ('image' in program) await this.#ensureImage(image);
    const { ready } = spec;
    let readyLine: ReadyLine | undefined;
    let waitStrategy: WaitStrategy;
    if (ready.kind === 'log') waitStrategy = readyLine = new ReadyLine(ready.pattern);
    else waitStrategy = Wait.forHttp(ready.path, ready.port).forStatusCode(200);
    let container = new GenericContainer(image)
      .withName(`ijiwaru-${this.runId}-${spec.name}`)
      .withLabels(labels(this.runId))
      .withNetworkMode(this.#networkName)
      .withNetworkAliases(spec.name)
      .withEnvironment({ ...expandEnvironment(spec.env, placeholders), BIND_HOST: this.bindAddressOf() })
      // A volume's name where a host path would be: the engine mounts the named volume.
      .withBindMounts([{ source: sharedVolume(this.runId), target: SHARED_DIR }])
      .withExposedPorts(...spec.ports)
      .withStartupTimeout(spec.readyTimeoutMs ?? DEFAULT_READY_MS)
      .withWaitStrategy(waitStrategy);
    if ('image' in program) {
      const [entrypoint = '', ...args] = program.argv.map(expand);
      container = container.withEntrypoint([entrypoint]).withCommand(args);
    } else {
      container = container.withCommand(program.args.map(expand));
      if (program.appDir) container = container.withCopyDirectoriesToContainer([{ source: program.appDir, target: '/app' }]);
    }
    if (program.files?.length) {
      container = container.withCopyContentToContainer(
        program.files.map((file) => ({ content: expand(file.content), target: `${FILES_DIR}/${file.name}` })),
      );
    }
    if (spec.memoryLimitBytes) container = container.withResourcesQuota({ memory: spec.memoryLimitBytes / 1024 ** 3 });
    let started: StartedTestContainer;
    try {
      started = await container.start();
    } catch (error) {
      const message = (error as Error).message;
      // testcontainers words a wait that ran out as "... not received/not accessible after N ms" or "timed out".
      if (!/not received|not accessible|timed out|timeout/i.test(message)) {
        throw new HarnessError('target-spec', `cannot start ${spec.name} from ${image}: ${message}`, { cause: error });
      }
      const tail = await lastLogLines(this.#client.container.dockerode, `ijiwaru-${this.runId}-${spec.name}`);
      throw new HarnessError(
        'target-not-ready',
        `${spec.name} did not become ready within ${(spec.readyTimeoutMs ?? DEFAULT_READY_MS) / 1000} s` +
          (tail ? `; its last log line: ${tail}` : `: ${message}`),
        { cause: error },
      );
    }
    const component = new DockerComponent(spec.name, started, this.#client.container.dockerode.getContainer(started.getId()), readyLine);
    this.#components.push(component);
    return component;
  }

  /** A given image must be on the machine or pullable within PULL_LIMIT_MS: never an endless wait. */
  #ensureImage(image: string): Promise<void> {
    let check = this.#imageChecks.get(image);
    if (!check) {
      check = presentOrPulled(this.#client.container.dockerode, image);
      this.#imageChecks.set(image, check);
    }
    return check;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    mkdirSync(this.#logDir, { recursive: true });
    await Promise.allSettled(
      this.#components.map(async (component) =>
        writeFileSync(path.join(this.#logDir, `${component.name}.log`), await component.logs()),
      ),
    );
    await removeRun(this.#client.container.dockerode, this.runId);
    this.#unregister();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

class DockerComponent implements Component {
  readonly name: string;
  readonly #started: StartedTestContainer;
  readonly #container: Dockerode.Container;
  readonly #readyLine: ReadyLine | undefined;

  constructor(name: string, started: StartedTestContainer, container: Dockerode.Container, readyLine: ReadyLine | undefined) {
    this.name = name;
    this.#started = started;
    this.#container = container;
    this.#readyLine = readyLine;
  }

  endpoint(port: number): Endpoint {
    return { host: '127.0.0.1', port: this.#started.getMappedPort(port) };
  }

  async stop(): Promise<void> {
    await this.#container.stop({ t: STOP_GRACE_S }).catch(ignoreNotModified);
  }

  async kill(): Promise<void> {
    await this.#container.kill({ signal: 'SIGKILL' }).catch(ignoreNotModified);
  }

  async pause(): Promise<void> {
    await this.#container.pause();
  }

  async resume(): Promise<void> {
    await this.#container.unpause();
  }

  async restart(): Promise<void> {
    this.#readyLine?.arm(await this.logs());
    await this.#started.restart({ timeout: STOP_GRACE_S });
  }

  async logs(): Promise<string> {
    const buffer = (await this.#container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    return demultiplexLogs(buffer);
  }

  async exec(argv: string[]): Promise<ExecResult> {
    const result = await this.#started.exec(argv);
    return { exitCode: result.exitCode, output: result.output };
  }

  async limitMemory(bytes: number): Promise<void> {
    await this.#container.update({ Memory: bytes, MemorySwap: bytes });
  }

  async changedFiles(): Promise<ChangedFile[]> {
    const changes = ((await this.#container.changes()) ?? []) as Array<{ Path: string; Kind: number }>;
    // Kind 2 is a deletion: nothing left to read.
    const changed = new Set(changes.filter((change) => change.Kind !== 2).map((change) => change.Path));
    const roots = [...changed].filter((candidate) => ![...changed].some((other) => candidate.startsWith(`${other}/`)));
    const files: ChangedFile[] = [];
    for (const root of [...roots, SHARED_DIR]) {
      // A path gone since the diff (a temporary file renamed) has nothing to read.
      const archive = await this.#container.getArchive({ path: root }).catch(() => undefined);
      if (!archive) continue;
      for (const file of await filesOfArchive(archive)) {
        const where = path.posix.join(path.posix.dirname(root), file.path);
        if (root === SHARED_DIR || changed.has(where)) files.push({ path: where, content: file.content });
      }
    }
    return files;
  }

  async status(): Promise<ComponentStatus> {
    const info = await this.#container.inspect();
    const state = info.State.Paused ? 'paused' : info.State.Running ? 'running' : 'exited';
    return { state, exitCode: state === 'exited' ? info.State.ExitCode : null, oomKilled: info.State.OOMKilled };
  }
}

/** The engine answers 304 when a container is already in the requested state. */
function ignoreNotModified(error: { statusCode?: number }): void {
  if (error.statusCode !== 304 && error.statusCode !== 409) throw error;
}

async function lastLogLines(docker: Dockerode, containerName: string): Promise<string> {
  try {
    const buffer = (await docker.getContainer(containerName).logs({ stdout: true, stderr: true, tail: 1 })) as unknown as Buffer;
    return demultiplexLogs(buffer).trim();
  } catch {
    return '';
  }
}

async function presentOrPulled(docker: Dockerode, image: string): Promise<void> {
  const present = () => docker.getImage(image).inspect().then(() => true, () => false);
  if (await present()) return;
  let timer: NodeJS.Timeout | undefined;
  const pull = (async () => {
    const stream = await docker.pull(image);
    // The engine reports a failed pull as an `error` entry of the progress, not as a stream error.
    const progress = await new Promise<Array<{ error?: string }>>((resolve, reject) =>
      docker.modem.followProgress(stream, (error: Error | null, output: Array<{ error?: string }>) => (error ? reject(error) : resolve(output))),
    );
    if (!(await present())) throw new Error(progress.findLast((entry) => entry.error)?.error ?? 'the engine pulled nothing');
  })();
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PULL_LIMIT_MS / 1000} s`)), PULL_LIMIT_MS);
  });
  try {
    await Promise.race([pull, limit]);
  } catch (error) {
    pull.catch(() => undefined);
    throw new HarnessError('target-spec', `image ${image} is not on this machine and cannot be pulled: ${(error as Error).message}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** Removes every container, network and volume carrying the run's label (all of ijiwaru's without one). */
export async function removeRun(docker: Dockerode, runId?: string): Promise<{ containers: number; networks: number; volumes: number }> {
  const filters = JSON.stringify({ label: [runId ? `${RUN_LABEL}=${runId}` : OWNER_LABEL] });
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.allSettled(containers.map((info) => docker.getContainer(info.Id).remove({ force: true, v: true })));
  const networks = await docker.listNetworks({ filters });
  await Promise.allSettled(networks.map((info) => docker.getNetwork(info.Id).remove()));
  // Last: a volume cannot go while a container still mounts it.
  const { Volumes: volumes } = await docker.listVolumes({ filters });
  await Promise.allSettled((volumes ?? []).map((info) => docker.getVolume(info.Name).remove()));
  return { containers: containers.length, networks: networks.length, volumes: volumes?.length ?? 0 };
}
