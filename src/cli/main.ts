/**
 * The CLI's entry: runs the program (program.ts) on the command line. Installed, it runs inside one of
 * the bundles that dist/bin/openevc.cjs (launcher.ts) picks; tests bundle it as it is.
 */
import { VERSION } from '../version.js';

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});
const argv = process.argv.slice(2);
// `openevc --version` alone is answered before commander and the commands load (as commander prints it).
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) process.stdout.write(`${VERSION}\n`);
else void run(argv);

async function run(args: string[]): Promise<void> {
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
