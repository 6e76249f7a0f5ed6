#!/usr/bin/env node
/** The `openevc` executable (package.json `bin`). All logic is in program.ts. */
import { main, reportError } from './program.js';

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportError(err);
  },
);
