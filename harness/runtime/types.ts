/**
 * The runtime interface: one component started, operated on and reaped, the same way whether it
 * is a container (docker) or a child process on its own loopback address (process).
 */

/** How a runtime knows a component is ready to serve. */
export type Readiness =
  | { kind: 'log'; pattern: RegExp }
  | { kind: 'http'; port: number; path: string };

/** A file handed to a component, placed in its files directory (`{files}` in args and files). */
export interface ProgramFile {
  name: string;
  content: string;
}

/**
 * What runs: one of ijiwaru's base images' programs, or a given image (a vendor's). Args, argv and
 * file contents may use `{bind}` (the address the component listens on), `{files}` (the
 * directory holding its files) and `{shared}` (the run's shared folder, below).
 */
export type Program = BaseProgram | ImageProgram;

/** A base image's program: in docker the image's entrypoint, in process mode the same binary on the host. */
export interface BaseProgram {
  executable: 'node' | 'toxiproxy' | 'haproxy';
  args: string[];
  /** Directory of the program's own code: /app in a container, the working directory as a process. */
  appDir?: string;
  files?: ProgramFile[];
}

/** A given image run with a whole argv (its entrypoint replaced); only a container runtime runs it. */
export interface ImageProgram {
  image: string;
  argv: string[];
  files?: ProgramFile[];
}

export interface ComponentSpec {
  /** Unique within a run; also the name other components reach it by. */
  name: string;
  program: Program;
  /** TCP ports it listens on. */
  ports: number[];
  /**
   * Values may use the placeholders too: a data directory of the component's own (`{files}/data`),
   * or one that every component of the run sees at the same path (`{shared}/...`): the one run-wide
   * folder, so that instances of one service can work on one database.
   */
  env?: Record<string, string>;
  ready: Readiness;
  readyTimeoutMs?: number;
  memoryLimitBytes?: number;
}

export interface Endpoint {
  host: string;
  port: number;
}

export type ComponentState = 'running' | 'paused' | 'exited';

export interface ComponentStatus {
  state: ComponentState;
  /** Exit status of the last run once exited; 137 for SIGKILL as the engine reports it. */
  exitCode: number | null;
  /**
   * Whether the kernel killed it for its memory limit: reported only by a runtime whose limit the
   * kernel enforces (docker's cgroup), absent where a limit is only V8's heap (a process).
   */
  oomKilled?: boolean;
}

export interface ExecResult {
  exitCode: number;
  output: string;
}

/** A started component. Every operation is a real one on the container or process. */
export interface ChangedFile {
  /** Where the component sees it. */
  path: string;
  content: Buffer;
}

export interface Component {
  readonly name: string;
  /** Where the harness itself reaches `port` of this component (changes across restarts in docker). */
  endpoint(port: number): Endpoint;
  stop(): Promise<void>;
  /** SIGKILL: no handler runs, as in a crash or a pulled plug. */
  kill(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Stops (or finds dead) and starts again, then waits until ready. */
  restart(): Promise<void>;
  logs(): Promise<string>;
  /** Runs an operator command inside the component (argv[0] 'node' is the image's Node). */
  exec(argv: string[]): Promise<ExecResult>;
  /** Caps memory: a cgroup limit in docker, the heap limit (applied by a restart) as a process. */
  limitMemory(bytes: number): Promise<void>;
  /**
   * Every file the component wrote or changed since it was created, with its contents: in docker
   * the engine's diff of its container and the run's shared volume; as a process its files
   * directory and the shared folder.
   */
  changedFiles(): Promise<ChangedFile[]>;
  status(): Promise<ComponentStatus>;
}

/** Here rather than in create.ts, so that a command checking its flags does not load testcontainers. */
export const RUNTIME_KINDS = ['docker', 'process'] as const;
export type RuntimeKind = (typeof RUNTIME_KINDS)[number];

export interface Runtime extends AsyncDisposable {
  readonly kind: RuntimeKind;
  readonly runId: string;
  /** The host name or address under which other components reach `name`. */
  addressOf(name: string): string;
  /** The address `name` binds its listeners to (all interfaces in a container, its own as a process). */
  bindAddressOf(name: string): string;
  start(spec: ComponentSpec): Promise<Component>;
  /** Removes every component, network and shared volume of the run; saves their logs first. Idempotent. */
  dispose(): Promise<void>;
}

export const RUN_LABEL = 'ijiwaru.run';
export const OWNER_LABEL = 'ijiwaru';

/** What the placeholders of a component's program and environment stand for. */
export interface Placeholders {
  bind: string;
  files: string;
  shared: string;
}

/** Replaces `{bind}`, `{files}` and `{shared}` in a program's args, files and environment. */
export function expandPlaceholders(text: string, values: Placeholders): string {
  return text.replaceAll('{bind}', values.bind).replaceAll('{files}', values.files).replaceAll('{shared}', values.shared);
}

export function expandEnvironment(env: Record<string, string> | undefined, values: Placeholders): Record<string, string> {
  return Object.fromEntries(Object.entries(env ?? {}).map(([name, value]) => [name, expandPlaceholders(value, values)]));
}
