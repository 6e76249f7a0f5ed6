/**
 * The CLI's entry: runs the program (program.ts) on the command line. Installed, it runs inside one of
 * the bundles that dist/bin/openevc.cjs (launcher.ts) picks; tests bundle it as it is.
 */
import { VERSION } from '../version.js';

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

/** Runs one command line; the exit code it asks for is left in process.exitCode. */
export async function run(args: string[]): Promise<void> {
  // `openevc --version` alone is answered before commander and the commands load (as commander prints it).
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const { main, reportError } = await import('./program.js');
  await main(args).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.exitCode = reportError(err);
    },
  );
}

/** The command line the process was started with, running (the launcher's build-time runs wait for it). */
export const started: Promise<void> = run(process.argv.slice(2));
