import path from 'node:path';
import { clean } from '../clean.ts';
import { runDemo } from '../demo.ts';
import { PROFILE_NAMES } from '../../fixtures/profiles/profile.ts';
import { explore } from '../explore/explore.ts';
import { EXPERIMENT_TIME_SCALE } from '../../faults/experiment/fault.ts';
import { replayExperiment } from '../explore/replay.ts';
import { runMeanTests } from '../runner.ts';
import { SUITE_IDS } from '../suites/registry.ts';
import { runSuite } from '../suites/run.ts';
import { DEFAULT_FAULT_IDS, SHEET_COMPARISON_ID } from '../../faults/registry.ts';
import { describeFailure, EXIT_CANNOT_RUN, EXIT_INTERRUPTED, HarnessError } from '../errors.ts';
import { judgeRun } from '../judge.ts';
import type { Report } from '../report/report.ts';
import { onInterrupt, reapAll } from '../runtime/reaper.ts';
import { REFERENCE_IMAGE } from '../setup/images.ts';
import { setup } from '../setup/setup.ts';
import { budgetFlag, parseCommand, parseFlags, runtimeFlag, seedFlag } from './args.ts';
import { lifeline, LifelineCut } from './lifeline.ts';
import { outcome, verdictText, type Outcome } from './outcome.ts';
import { createProgress, type Progress } from './progress.ts';
import { faultRows, table, targetRows } from './listings.ts';
import { resolveRun, useConfig } from './run-options.ts';

// Progress goes with the results on stdout: stderr carries only the one line of a failure, so
// a gate or a script can tell "could not run" by it alone (exit 2, one line, whatever ran before).
const say = (line: string) => process.stdout.write(`${line}\n`);

interface Command {
  summary: string;
  help: string;
  run(argv: string[]): Promise<number>;
}

const RUNTIME_HELP = '  --runtime docker|process   where components run (default docker)';
const REPORTER_HELP = `  --reporter text|tap        what stdout gets at the end: the verdict table (default) or TAP 14,
                             one test point per fault (progress then comes as TAP comments)`;
const STRICT_HELP = `  --strict                   an inconclusive result fails too (exit 2, could not judge): for a
                             release gate, which should pass only what was judged a pass`;

function reporterFlag(value: string | boolean | undefined): 'text' | 'tap' {
  const reporter = value ?? 'text';
  if (reporter !== 'text' && reporter !== 'tap') throw new HarnessError('usage', `--reporter must be text or tap, not "${String(reporter)}"`);
  return reporter;
}

/**
 * Progress shares stdout with the results (stderr is kept for the one line of a failure); in a
 * TAP stream it goes as TAP comments, which every TAP consumer passes over.
 */
function progressFor(reporter: 'text' | 'tap'): Progress {
  return createProgress(reporter === 'tap' ? { write: (text: string) => process.stdout.write(text.replace(/^(?=.)/gm, '# ')) } : process.stdout);
}

/** The exit status of a report's verdicts, with its one stderr line when it is not a plain 0 or 1. */
function finish({ status, line }: Outcome): number {
  if (line !== undefined) process.stderr.write(`ijiwaru: ${line}\n`);
  return status;
}

/** How a run stopped from outside ends: 130 for a signal (said when it came), 2 for a cut lifeline. */
function stopped(signal: AbortSignal): number {
  stoppedRun = true;
  return signal.reason instanceof LifelineCut ? EXIT_CANNOT_RUN : EXIT_INTERRUPTED;
}

/** Set when a run was stopped from outside: the process then exits as soon as it is reaped. */
let stoppedRun = false;

const COMMANDS: Record<string, Command> = {
  run: {
    summary: 'run mean tests against a target and write the report',
    help: `ijiwaru run --target NAME@VARIANT [--faults F1,F2,...] [--runtime docker|process]
            [--parameters FILE] [--production-parameters FILE]
            [--seed N] [--time-scale N] [--config FILE] [--strict] --out DIR
ijiwaru run --target NAME@VARIANT --experiment FILE [--runtime ...] [--config FILE] --out DIR
ijiwaru run --target NAME@VARIANT --suite load|limit|continuous [--minutes N]
            [--profile DAY] [--monitor-interval S] [--runtime ...] [--seed N]
            [--time-scale N] [--config FILE] [--strict] --out DIR

Mean tests (the default): starts a fresh system per fault, injects it through real mechanisms
(Toxiproxy, the container engine, operator commands, load), judges from behaviour. Suites
(--suite): k6 drives the municipal terminals through Toxiproxy in the shape of a documented
day (load), a ramp to the breaking point (limit) or a long steady load (continuous), and
oracles judge what came back. Both write DIR/report.json, DIR/junit.xml and DIR/evidence/
(with k6's HTML dashboard for suites). Exit status: 0 no finding, 1 a finding, 2 could not run
or a result could not be judged (error; inconclusive too with --strict), 130 interrupted (Ctrl-C
or SIGTERM once: the fault in progress stops, the report is still written; twice: at once). A
run whose parent process ends or whose stdout closes stops the same way and exits 2.

  --config FILE              a vendor's target and run defaults (targets/CONTRACT.md 4;
                             default: ijiwaru.config.ts or ijiwaru.config.json here, if any);
                             its target is NAME@VARIANT with the config's name, docker only,
                             and every flag given overrides the config's run defaults
  --target NAME@VARIANT      for example reference@2016-01 (levels: 2015-10 2016-01 2016-03
                             2016-04 2016-07 2016-09 fixed; 'ijiwaru targets' lists them all)
  --faults LIST              comma-separated fault IDs (default all but ${SHEET_COMPARISON_ID}: ${DEFAULT_FAULT_IDS.join(',')};
                             'ijiwaru faults' lists the catalog). ${SHEET_COMPARISON_ID} runs the other
                             faults named again under production's parameters and compares
  --parameters FILE          the test environment's parameter sheet: a JSON object of
                             CONTRACT.md 3 parameters ("NAME": "value", at time scale 1)
                             over the target's, for every fault
  --production-parameters FILE
                             production's sheet, in the same format: every fault runs again
                             under it, and ${SHEET_COMPARISON_ID} lists each parameter and verdict
                             that differs (a verdict that differs is a finding)
  --experiment FILE          replay one experiment 'ijiwaru explore' saved (DIR/experiments/E1.json)
                             as a mean test, judged by the same checkers, instead of --faults
  --suite NAME               ${SUITE_IDS.join(', ')} instead of the mean tests
  --minutes N                a suite's wall-clock length (default 10: the load suite plays the
                             operating day 07:30-21:30 in that time)
  --monitor-interval S       a suite's hardware-monitor cadence in wall-clock seconds (its 2
                             hours compressed, an operator's setting; default: the target's)
  --profile DAY              the day a suite replays (default 2016-03-29; also ${PROFILE_NAMES.filter((name) => name !== '2016-03-29').join(', ')})
${RUNTIME_HELP}
  --seed N                   every random choice derives from it: a whole number >= 0
                             (default 1)
  --time-scale N             durations of the 2016 system divided by N (default 60 for mean
                             tests; 2 for load and limit, whose load then runs at twice the
                             day's rates; 60 for continuous)
  --out DIR                  where the report and evidence go (a folder, made if missing)
${REPORTER_HELP}
${STRICT_HELP}`,
    async run(argv) {
      const flags = parseFlags('run', argv, {
        config: { type: 'string' },
        target: { type: 'string' },
        faults: { type: 'string' },
        suite: { type: 'string' },
        minutes: { type: 'string' },
        profile: { type: 'string' },
        'monitor-interval': { type: 'string' },
        parameters: { type: 'string' },
        'production-parameters': { type: 'string' },
        experiment: { type: 'string' },
        runtime: { type: 'string' },
        seed: { type: 'string' },
        'time-scale': { type: 'string' },
        out: { type: 'string' },
        reporter: { type: 'string' },
        strict: { type: 'boolean' },
      });
      if (flags.help) return printHelp('run');
      return stoppable('run', reporterFlag(flags.reporter), flags.strict === true, async (progress, signal) => {
        const resolved = await resolveRun(flags, progress.say);
        const running = { progress, signal };
        const report =
          resolved.kind === 'suite'
            ? await runSuite({ ...resolved.options, ...running })
            : resolved.kind === 'experiment'
              ? await replayExperiment({ ...resolved.options, ...running })
              : await runMeanTests({ ...resolved.options, ...running });
        return { report, outDir: resolved.options.outDir };
      });
    },
  },
  explore: {
    summary: 'search every exception path of a build; shrink each failure to a replayable experiment',
    help: `ijiwaru explore --target NAME@VARIANT [--budget 10m] [--seed N] [--runtime docker|process]
                [--config FILE] [--strict] --out DIR

Searches the space the target's own view spans: every link x every way a link fails (latency
just past each declared timeout, reset, cut, black hole, slow close, a body cut part way, low
bandwidth) and every component x every action (kill -9, stop, pause, restart, memory pressure,
a burst past its connection cap), each landing on each operation of a short seeded workload
(a pre-issue at one of its 29 exchanges, an issue, a search, a move, and a batch transfer at
one of its records where the target declares the batch commands). Each experiment runs on a
fresh system at time scale ${EXPERIMENT_TIME_SCALE}, heals, lets the terminal recover as the contract allows,
probes and reads every card, code and batch back; generic checkers judge it: no crash,
durability, uniqueness, card integrity (chip sound, chip and record agree), batch
reconciliation (console against records and notices), liveness, blast radius, explicit errors. Experiments showing new
behaviour have their fault tried on the other operations first and paired. Each new finding is
replayed and shrunk with fast-check, saved as DIR/experiments/E<n>.json and named after the
catalog fault it matches, if any. Writes report.json (its 'explore' key holds the coverage
matrix), report.html and junit.xml (a case per finding). Exit status as for 'ijiwaru run'.

  --target NAME@VARIANT      the build to explore (reference@2016-01, or a config's)
  --budget DURATION          wall time: no experiment starts after it (default 10m; 90s, 1h;
                             a bare number is minutes)
  --seed N                   the order of the search and every experiment (default 1)
${RUNTIME_HELP}
  --config FILE              a vendor's target (targets/CONTRACT.md 4)
  --out DIR                  where the report, experiments and evidence go
${STRICT_HELP}`,
    async run(argv) {
      const flags = parseFlags('explore', argv, { target: { type: 'string' }, budget: { type: 'string' }, seed: { type: 'string' }, runtime: { type: 'string' }, config: { type: 'string' }, out: { type: 'string' }, strict: { type: 'boolean' } });
      if (flags.help) return printHelp('explore');
      const used = await useConfig(flags.config);
      if (typeof flags.target !== 'string') throw new HarnessError('usage', "--target is required (see 'ijiwaru explore --help')");
      if (typeof flags.out !== 'string' || flags.out.trim() === '') throw new HarnessError('usage', "--out is required (see 'ijiwaru explore --help')");
      const outDir = path.resolve(flags.out);
      return stoppable('search', 'text', flags.strict === true, async (progress, signal) => {
        const report = await explore({
          target: flags.target as string,
          ...(used && { config: path.resolve(used.file) }),
          runtime: runtimeFlag(flags.runtime),
          seed: seedFlag(flags.seed, 1),
          budgetMs: budgetFlag(flags.budget),
          outDir,
          say: progress.say,
          progress,
          signal,
        });
        return { report, outDir };
      });
    },
  },
  judge: {
    summary: 'judge a finished run again from its evidence folder alone and print the same table',
    help: `ijiwaru judge DIR [--reporter text|tap] [--strict]

Judges a finished run again from its evidence folder alone and prints the same table, with
the same exit status, as 'ijiwaru run' does: each fault's judge reads DIR/evidence/FX/ (the
history of every request and the system's view) and nothing is started or written. For a
judge changed since the run, or evidence copied from another machine, without a rerun.

  DIR                        the --out folder of an 'ijiwaru run'
${REPORTER_HELP}
${STRICT_HELP}`,
    async run(argv) {
      const { flags, positionals } = parseCommand('judge', argv, { reporter: { type: 'string' }, strict: { type: 'boolean' } }, ['DIR']);
      if (flags.help) return printHelp('judge');
      const reporter = reporterFlag(flags.reporter);
      const progress = progressFor(reporter);
      const dir = path.resolve(positionals[0] as string);
      let report: Report;
      try {
        report = await judgeRun(dir, progress.say);
      } finally {
        progress.end();
      }
      process.stdout.write(verdictText(report, reporter, `evidence: ${path.join(dir, 'evidence')}`));
      return finish(outcome(report, flags.strict === true));
    },
  },
  demo: {
    summary: 'bring up the echo topology and inject one fault of each kind',
    help: `ijiwaru demo [--runtime docker|process] [--out DIR]

Sets up on first use (engine, Toxiproxy, k6, images), starts harness → entry → front → hop →
back with a Toxiproxy proxy on each link, sends one request through each fault (latency,
reset_peer, cut, pause, kill -9, restart) and prints the outcome the history recorded.

${RUNTIME_HELP}
  --out DIR                  evidence folder (default runs/demo)`,
    async run(argv) {
      const flags = parseFlags('demo', argv, { runtime: { type: 'string' }, out: { type: 'string' } });
      if (flags.help) return printHelp('demo');
      const outDir = path.resolve(String(flags.out ?? 'runs/demo'));
      const result = await runDemo({ runtime: runtimeFlag(flags.runtime), outDir, say });
      console.log(`run ${result.runId} on ${result.runtime}: topology ready in ${(result.readyMs / 1000).toFixed(1)} s`);
      console.log(`${'step'.padEnd(26)}${'outcome'.padEnd(18)}ms`);
      for (const { step, operation } of result.steps) {
        console.log(`${step.padEnd(26)}${operation.outcome.padEnd(18)}${(operation.endMs - operation.startMs).toFixed(1)}`);
      }
      console.log(`history: ${path.relative(process.cwd(), result.historyFile)} (${result.steps.length} requests)`);
      return 0;
    },
  },
  setup: {
    summary: 'install what is missing: Docker engine, Toxiproxy, k6, HAProxy, local images',
    help: `ijiwaru setup [--runtime docker|process]

Idempotent. Uses the Docker engine DOCKER_HOST or /var/run/docker.sock answers; where none
answers and we are root on Debian, installs docker.io and starts dockerd. Builds Toxiproxy
and k6 with go install into .cache/ijiwaru/bin, installs Debian's haproxy, and builds the
images ijiwaru/{toxiproxy,haproxy,node,reference}:<digest of inputs> from scratch (never
pulled); ${REFERENCE_IMAGE} names the latest reference image, for config files.

${RUNTIME_HELP}`,
    async run(argv) {
      const flags = parseFlags('setup', argv, { runtime: { type: 'string' } });
      if (flags.help) return printHelp('setup');
      const { images } = await setup({ engine: runtimeFlag(flags.runtime) === 'docker', say });
      for (const tag of Object.values(images ?? {})) console.log(tag);
      if (images) console.log(REFERENCE_IMAGE);
      return 0;
    },
  },
  faults: {
    summary: 'list the fault catalog: ID, title, viewpoints, mean test, suites',
    help: `ijiwaru faults [--json]

Every documented fault of the 2016 system (F1-F17, INCIDENTS.md) and the added check N1, with
the inspection viewpoints its result is reported under (1-10, N1-N3), whether a mean test
exists ('ijiwaru run --faults ID') and which suites judge it ('ijiwaru run --suite NAME').

  --json                     one JSON array instead of the table`,
    async run(argv) {
      const flags = parseFlags('faults', argv, { json: { type: 'boolean' } });
      if (flags.help) return printHelp('faults');
      const rows = await faultRows();
      if (flags.json) {
        console.log(JSON.stringify(rows, null, 2));
        return 0;
      }
      console.log(
        table(
          ['ID', 'TITLE', 'VIEWPOINTS', 'MEAN TEST', 'SUITES'],
          rows.map((row) => [row.id, row.title, row.viewpoints.join(' '), row.meanTest ? 'yes' : '-', row.suites.join(' ') || '-']),
        ),
      );
      return 0;
    },
  },
  targets: {
    summary: 'list the targets and their variants: reference levels and what each has fixed',
    help: `ijiwaru targets [--config FILE] [--json]

The built-in reference target's patch levels, each with what it has fixed, then the target of
a config file (--config, or ijiwaru.config.ts / ijiwaru.config.json in the working directory)
with its variants' descriptions. Name one as --target NAME@VARIANT.

  --config FILE              a vendor's config file (see targets/CONTRACT.md 4)
  --json                     one JSON array instead of the table`,
    async run(argv) {
      const flags = parseFlags('targets', argv, { config: { type: 'string' }, json: { type: 'boolean' } });
      if (flags.help) return printHelp('targets');
      await useConfig(flags.config);
      const rows = await targetRows();
      if (flags.json) {
        console.log(JSON.stringify(rows, null, 2));
        return 0;
      }
      console.log(table(['TARGET', 'FIXES OR CHANGES'], rows.map((row) => [`${row.target}@${row.variant}`, row.description])));
      return 0;
    },
  },
  clean: {
    summary: 'remove containers, networks and processes left by killed runs',
    help: `ijiwaru clean [--run ID]

Removes every container, network and volume labelled by ijiwaru (or only those of run ID) and kills
the child processes that process-runtime runs recorded.`,
    async run(argv) {
      const flags = parseFlags('clean', argv, { run: { type: 'string' } });
      if (flags.help) return printHelp('clean');
      const result = await clean(typeof flags.run === 'string' ? flags.run : undefined);
      console.log(
        `removed ${result.containers} containers, ${result.networks} networks, ${result.volumes} volumes, ${result.processes} processes` +
          (result.engine ? '' : ' (no Docker engine answered)'),
      );
      return 0;
    },
  },
};

/**
 * A command that starts systems and reports. Ctrl-C (or SIGTERM) once: what is under way stops,
 * the rest is reported interrupted, the report is still written and everything reaped; twice:
 * reap and exit at once. A parent that dies or a stdout that closes stops it the same way.
 */
async function stoppable(
  what: string,
  reporter: 'text' | 'tap',
  strict: boolean,
  work: (progress: Progress, signal: AbortSignal) => Promise<{ report: Report; outDir: string }>,
): Promise<number> {
  const progress = progressFor(reporter);
  const controller = new AbortController();
  const stopListening = onInterrupt((signal) => {
    process.stderr.write(`ijiwaru: interrupted by ${signal}: stopping the ${what} and writing its report (${signal} again stops at once)\n`);
    controller.abort(new Error(`interrupted by ${signal}`));
  });
  using _lifeline = lifeline(controller);
  let done: { report: Report; outDir: string };
  try {
    done = await work(progress, controller.signal);
  } catch (error) {
    // Stopped while it could not yet report (starting its system, say): still ends as stopped,
    // 130 for a signal, 2 for a lost parent or stdout, with the failure's line.
    if (!controller.signal.aborted) throw error;
    process.stderr.write(`${describeFailure(error).line}\n`);
    return stopped(controller.signal);
  } finally {
    stopListening();
    progress.end();
  }
  // report.html is the page a person opens; report.json is what a gate reads.
  process.stdout.write(verdictText(done.report, reporter, `report: ${path.join(done.outDir, 'report.html')} (and report.json)`));
  if (controller.signal.aborted) return stopped(controller.signal);
  return finish(outcome(done.report, strict));
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}${command.summary}`);
  return `ijiwaru: mean tests for the 2016 card system\n\nusage: ijiwaru <command> [flags]\n\n${lines.join('\n')}\n\n'ijiwaru <command> --help' explains a command's flags.`;
}

function printHelp(name: string): number {
  console.log(COMMANDS[name]?.help ?? usage());
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    throw new HarnessError('usage', `unknown command "${name}": use one of ${Object.keys(COMMANDS).join(', ')}`);
  }
  return command.run(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const { line, status } = describeFailure(error);
  process.stderr.write(`${line}\n`);
  process.exitCode = status;
}
// A run stopped from outside has said all it will: whatever it left still open must not keep the
// process waiting, so it exits once everything is reaped.
if (stoppedRun) {
  await reapAll();
  process.exit();
}
