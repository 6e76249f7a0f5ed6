import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from './test-support/shared.js';
import { VERSION } from './version.js';

it('VERSION matches package.json', () => {
  expect(VERSION).toBe(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version);
});
