#!/usr/bin/env node
// Entry point. Plain JavaScript so that an older Node can still say, in one line, what to do.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `ijiwaru: needs Node 24 (this is ${process.version}); run it through npm (npm start, npx ijiwaru) to use the pinned Node\n`,
  );
  process.exit(2);
}
await import('../harness/cli/main.ts');
