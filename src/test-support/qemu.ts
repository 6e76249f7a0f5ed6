/**
 * Whether the tests that start real QEMU guests can run here. They need qemu-system-x86_64,
 * nasm and ld; a developer machine without them skips those tests and says why, once per
 * test file. CI (.ci/run) installs them and sets OPENEVC_REQUIRE_QEMU=1, which turns a
 * missing tool into failing tests instead of a silent skip.
 */
import { missingTools } from '../node/qemu/tools.js';

export const missingQemuTools: readonly string[] = missingTools();
export const qemuRequired = Boolean(process.env.OPENEVC_REQUIRE_QEMU);
/** Pass to `describe.skipIf`. Titles of such blocks say "(needs qemu-system-x86_64 and nasm)". */
export const skipQemu = missingQemuTools.length > 0 && !qemuRequired;

if (skipQemu) {
  process.stderr.write(`openevc tests: skipping the QEMU guest tests: missing ${missingQemuTools.join(', ')}\n`);
}
