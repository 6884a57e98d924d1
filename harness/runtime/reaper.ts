/**
 * Process-wide safety net: whatever a run started is reaped when the process ends, even when the
 * code that started it never reaches its own disposal (SIGINT, SIGTERM, an uncaught error, or a
 * forgotten dispose at the natural end of the event loop).
 */
type Cleanup = () => Promise<void>;
type LastResort = () => void;

const cleanups = new Set<Cleanup>();
const lastResorts = new Set<LastResort>();
const interruptHandlers = new Set<(signal: NodeJS.Signals) => void>();
let installed = false;
let reaping: Promise<void> | undefined;

/** Registers an async cleanup; returns the function that unregisters it once done normally. */
export function registerCleanup(cleanup: Cleanup): () => void {
  install();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Registers a synchronous action for the `exit` event, when nothing asynchronous can run. */
export function registerLastResort(action: LastResort): () => void {
  install();
  lastResorts.add(action);
  return () => lastResorts.delete(action);
}

/** Runs every registered cleanup once; errors are reported, never thrown. */
export function reapAll(): Promise<void> {
  reaping ??= (async () => {
    const pending = [...cleanups];
    cleanups.clear();
    const results = await Promise.allSettled(pending.map((cleanup) => cleanup()));
    for (const result of results) {
      if (result.status === 'rejected') {
        process.stderr.write(`ijiwaru: cleanup failed: ${String((result.reason as Error)?.message ?? result.reason)}\n`);
      }
    }
  })().finally(() => (reaping = undefined));
  return reaping;
}

/**
 * While registered, the first SIGINT or SIGTERM goes to `handler` (a run that stops its fault,
 * writes its report and then exits itself) instead of reaping and exiting at once; a second
 * signal still reaps and exits. Returns the function that unregisters it.
 */
export function onInterrupt(handler: (signal: NodeJS.Signals) => void): () => void {
  install();
  interruptHandlers.add(handler);
  return () => interruptHandlers.delete(handler);
}

function interrupted(signal: NodeJS.Signals, status: number): void {
  if (interruptHandlers.size === 0) return exitAfterReaping(status);
  const handlers = [...interruptHandlers];
  interruptHandlers.clear();
  for (const handler of handlers) handler(signal);
  process.once(signal, () => exitAfterReaping(status));
}

function exitAfterReaping(status: number): void {
  void reapAll().finally(() => process.exit(status));
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('SIGINT', () => interrupted('SIGINT', 130));
  process.once('SIGTERM', () => interrupted('SIGTERM', 143));
  // Nobody may be reading stderr any more (the parent died): a failed write must not raise yet
  // another uncaught exception, whose report would fail the same way, round and round.
  process.stderr.on('error', () => undefined);
  let crashed = false;
  process.on('uncaughtException', (error) => {
    if (crashed) return;
    crashed = true;
    process.stderr.write(`ijiwaru: internal error: ${String(error?.message ?? error).split('\n')[0]}\n`);
    exitAfterReaping(2);
  });
  process.on('beforeExit', () => {
    if (cleanups.size > 0) void reapAll();
  });
  process.on('exit', () => {
    for (const action of lastResorts) action();
  });
}
