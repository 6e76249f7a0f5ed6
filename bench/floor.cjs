/**
 * The floor under `openevc baseline DIR --json` (bench/run.mjs): what any Node program doing that
 * job must spend, measured the same way. It starts Node, reads every file of the directory as the
 * CLI does (sorted names, one open and read each, into one buffer), looks at every byte once, and
 * writes an answer of the same size (the file given, openevc's own answer saved by the bench).
 * Nothing is decoded or computed. CommonJS, no dependencies, like the installed command's launcher.
 *
 *   node bench/floor.cjs DIR ANSWER
 */
const { closeSync, openSync, readFileSync, readSync, readdirSync, writeSync } = require('node:fs');
const { join } = require('node:path');

const [dir, answerFile] = process.argv.slice(2);
const buf = Buffer.allocUnsafe(1 << 20);
let sum = 0;
for (const name of readdirSync(dir).sort()) {
  const fd = openSync(join(dir, name), 'r');
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  // One look at every byte (a reader cannot do less), summed so that the loop is not optimized away.
  for (let i = 0; i < n; i++) sum += buf[i];
}
const answer = readFileSync(answerFile);
let at = 0;
while (at < answer.length) at += writeSync(1, answer, at, answer.length - at);
if (sum < 0) process.exitCode = 1;
