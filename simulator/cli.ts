/**
 * Command line for the simulator: `npx tsx simulator/cli.ts [flags]` (or `npm run simulator --`).
 * Prints the URL it listens on (127.0.0.1:9000 unless --port says otherwise), then one line per
 * request and per injected fault (unless --quiet), until SIGINT/SIGTERM. Exit code 2 on bad flags.
 */
import { parseInvocation, USAGE, type Invocation } from './invocation';
import { startSimulator } from './server';

async function main(): Promise<void> {
  let invocation: Invocation;
  try {
    invocation = parseInvocation(process.argv.slice(2));
  } catch (error) {
    console.error(`error: ${(error as Error).message}\nRun with --help for usage.`);
    process.exit(2);
  }
  if (invocation.help) {
    console.log(USAGE);
    return;
  }
  const hooks = invocation.log ? { log: (line: string): void => console.log(line) } : {};
  const sim = await startSimulator(invocation.options, hooks).catch((error: unknown) => {
    const inUse = error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
    console.error(inUse ? `error: port ${invocation.options.port} is in use; pass --port <n> (0 = a random free port)` : `error: ${(error as Error).message}`);
    process.exit(2);
  });
  sim.enqueue(...invocation.faults);
  sim.reply(...invocation.replies);
  const { idleCutoffMs, idleMode = 'reset' } = invocation.options;
  const idle = idleCutoffMs ? `idle cutoff ${idleCutoffMs} ms (${idleMode})` : 'no idle cutoff';
  const { outage, flapping } = invocation.options;
  const down = [
    outage === undefined ? '' : `; down for ${outage.ms} ms (${outage.status ?? 503}), then healthy`,
    flapping === undefined ? '' : `; flapping: down ${flapping.downMs} ms (${flapping.status ?? 503}), up ${flapping.upMs} ms`,
  ].join('');
  const strict = invocation.options.chatStrict === true ? '; strict chat-only provider' : '';
  const queued = `${invocation.faults.length} fault(s), ${invocation.replies.length} chat reply(ies) queued`;
  console.log(`codex-edge simulator listening on ${sim.url} (baseUrl ${sim.baseUrl}; ${idle}${down}${strict}; ${queued})`);
  console.log(invocation.log ? 'One line per request and per injected fault follows (--quiet: none). Any API key works.' : 'Quiet: no line per request.');
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
