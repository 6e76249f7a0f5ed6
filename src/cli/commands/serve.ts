/**
 * `openevc serve [DIR|INVENTORY...] [--host H] [--port N] [--token T] [--once]`: the local web
 * dashboard (fleet table, compatibility heatmap, baseline picker, mask generator, explain) on the hosts
 * these inputs name. The openevc library runs in the browser: the server only hands out the web
 * app and the named files (read-only), and files dropped on the page never leave it.
 *
 * Listens on 127.0.0.1 unless told otherwise; any other address needs `--token` (exit code 2
 * without it, saying why). Runs until Ctrl-C; `--once` starts, prints the URL and stops (CI).
 */
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import { checkBind, findWebRoot, startDashboard } from '../../node/serve.js';
import { jsonOption, withExamples } from '../options.js';

export const DEFAULT_PORT = 8765;

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port expects a port number (0 to 65535; 0 picks a free one), got '${value}'`);
  return n;
}

export function register(program: Command): void {
  const cmd = program
    .command('serve')
    .description(summary('serve'))
    .argument('[inputs...]', 'CPUID inputs, inventories (with the files they name) or directories of them, served read-only to the page (none: drop files on the page)')
    .option('--host <address>', 'address to listen on (anything but loopback needs --token)', '127.0.0.1')
    .addOption(new Option('--port <n>', 'port to listen on (0: any free port)').default(DEFAULT_PORT).argParser(parsePort))
    .option('--token <secret>', 'require this token on every request (the printed URL carries it); needed for any non-loopback address')
    .option('--once', 'start, print the URL, and stop (for scripts and CI)')
    .addOption(jsonOption('the URL and what is served, one JSON object'))
    .action(async (inputs: string[], opts: { host: string; port: number; token?: string; once?: boolean; json?: boolean }) => {
      checkBind(opts.host, opts.token);
      const webRoot = findWebRoot(import.meta.url);
      if (webRoot === undefined) throw new UsageError('the dashboard is not built (no dist/web/index.html): run npm run build');
      const dash = await startDashboard({ webRoot, inputs, host: opts.host, port: opts.port, ...(opts.token !== undefined ? { token: opts.token } : {}) });
      const what = inputs.length === 0 ? 'no inputs (drop CPUID files on the page)' : `${dash.files.length} file${dash.files.length === 1 ? '' : 's'}${dash.inventories.length ? ` and ${dash.inventories.length} inventor${dash.inventories.length === 1 ? 'y' : 'ies'}` : ''} from ${inputs.join(' ')}`;
      if (opts.json) process.stdout.write(`${JSON.stringify({ url: dash.url, files: dash.files.length, inventories: dash.inventories.length, inputs, read_only: true })}\n`);
      else process.stdout.write(`openevc dashboard: ${dash.url}\n  serving ${what}, read-only${opts.once ? '' : '; Ctrl-C stops'}\n`);
      if (opts.once) {
        await dash.close();
        return;
      }
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void dash.close().then(done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
  withExamples(cmd, [
    ['openevc serve examples', 'the dashboard of the bundled example fleet, on http://127.0.0.1:8765/'],
    ['openevc serve examples/inventory/seed-000.yaml', "seed 000's cluster: its plan, migration map and what-if steps"],
    ['openevc serve --host 0.0.0.0 --token s3cret fleet/', 'serve a fleet to other machines; the printed URL carries the token'],
  ]);
}
