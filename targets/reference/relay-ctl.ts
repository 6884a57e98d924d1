// Operator commands of the relay (CONTRACT.md 2.2), run beside it: node relay-ctl.ts <command> ...
import http from 'node:http';
import { postJson } from './lib/http.ts';
import { RELAY_PORT } from './relay/config.ts';

const USAGE = 'usage: node relay-ctl.ts poll-now | status | batch-start <batchId> <municipality> <records> | batch-status <batchId>';
const TIMEOUT_MS = 30_000;

function request(argv: string[]): { path: string; body: Record<string, unknown> } | undefined {
  const [command, ...args] = argv;
  switch (command) {
    case 'poll-now':
      return args.length === 0 ? { path: '/control/poll', body: {} } : undefined;
    case 'status':
      return args.length === 0 ? { path: '/control/status', body: {} } : undefined;
    case 'batch-start': {
      const [batchId, municipality, records] = args;
      if (args.length !== 3 || !batchId || !municipality || !/^\d+$/.test(records ?? '')) return undefined;
      return { path: '/control/batch-start', body: { batchId, municipality, records: Number(records) } };
    }
    case 'batch-status':
      return args.length === 1 ? { path: '/control/batch-status', body: { batchId: args[0] } } : undefined;
    default:
      return undefined;
  }
}

const call = request(process.argv.slice(2));
if (!call) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}
// 0.0.0.0 is where the relay listens in a container, not an address to connect to.
const bind = process.env.BIND_HOST ?? '127.0.0.1';
const host = bind === '0.0.0.0' ? '127.0.0.1' : bind;
const agent = new http.Agent();
try {
  const answer = await postJson(agent, `${host}:${RELAY_PORT}`, call.path, call.body, TIMEOUT_MS);
  process.stdout.write(`${JSON.stringify(answer.body)}\n`);
  process.exitCode = answer.status === 200 ? 0 : 1;
} catch (error) {
  process.stderr.write(`relay-ctl: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  agent.destroy();
}
