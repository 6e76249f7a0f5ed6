/**
 * A strict reader for Proxmox VE's section-config format as its documentation describes
 * `/etc/pve/virtual-guest/cpu-models.conf` (shared/facts/formats.md §6). There is no Proxmox
 * parser on Debian to check the proxmox exporter with, so this one is written from the
 * documented rules, and is stricter than Proxmox where the documentation is silent:
 *
 * - a section starts with a header `<type>: <id>` at the start of a line (`cpu-model: name`);
 * - its options follow, one per line, indented by a tab or spaces: `<key> <value>`;
 * - a blank line ends the section; `#` starts a comment line;
 * - an option outside a section, an unknown type or key, a repeated key or id, or a malformed
 *   value is an error naming the line.
 *
 * The `cpu-model` keys and values: `flags` (`+FLAG` / `-FLAG` separated by `;`), `reported-model`
 * (a model name), `hidden` (0 or 1), `phys-bits` (8..64 or `host`), `hv-vendor-id` (up to 12
 * characters).
 */
import { InputError } from '../core/errors.js';

export interface ProxmoxSection {
  readonly type: string;
  readonly id: string;
  readonly line: number;
  readonly options: ReadonlyMap<string, { readonly value: string; readonly line: number }>;
}

export interface CpuModelFlag {
  readonly name: string;
  readonly on: boolean;
}

const OPTION_CHECKS: Readonly<Record<string, (v: string) => boolean>> = {
  flags: (v) => v.split(';').every((f) => /^[+-][A-Za-z0-9][A-Za-z0-9_.-]*$/.test(f)),
  'reported-model': (v) => /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v),
  hidden: (v) => v === '0' || v === '1',
  'phys-bits': (v) => v === 'host' || (/^\d+$/.test(v) && Number(v) >= 8 && Number(v) <= 64),
  'hv-vendor-id': (v) => /^[^\s]{1,12}$/.test(v),
};

const EXPECTED_VALUE: Readonly<Record<string, string>> = {
  flags: "'+FLAG' or '-FLAG' items separated by ';'",
  'reported-model': 'a CPU model name',
  hidden: '0 or 1',
  'phys-bits': "a number from 8 to 64, or 'host'",
  'hv-vendor-id': 'up to 12 characters',
};

/** Reads a cpu-models.conf text; throws InputError (`file:line: expected X, found Y`) on anything the format does not allow. */
export function readCpuModelsConf(text: string, file = 'cpu-models.conf'): ProxmoxSection[] {
  const sections: ProxmoxSection[] = [];
  let current: { type: string; id: string; line: number; options: Map<string, { value: string; line: number }> } | undefined;
  const ids = new Set<string>();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => {
    const line = i + 1;
    const where = { file, line };
    if (/\s$/.test(raw)) throw new InputError(where, 'no trailing whitespace', raw);
    if (raw === '') {
      if (current) sections.push(current);
      current = undefined;
      return;
    }
    if (raw.startsWith('#')) return;
    const header = /^([a-z][a-z0-9-]*): *(\S+)$/.exec(raw);
    if (header) {
      if (current) throw new InputError(where, 'a blank line before the next section', raw);
      const [, type, id] = header;
      if (type !== 'cpu-model') throw new InputError(where, "a section of type 'cpu-model'", type);
      if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id!)) throw new InputError(where, 'a model name of letters, digits, ., _ and -', id);
      if (ids.has(id!)) throw new InputError(where, 'each cpu-model defined once', id);
      ids.add(id!);
      current = { type: type!, id: id!, line, options: new Map() };
      return;
    }
    const option = /^(?:\t| +)([a-z][a-z0-9-]*) (\S.*)$/.exec(raw);
    if (!option) throw new InputError(where, "a section header 'cpu-model: NAME' or an indented 'key value' option", raw);
    if (!current) throw new InputError(where, 'options only inside a section', raw);
    const [, key, value] = option;
    const check = OPTION_CHECKS[key!];
    if (!check) throw new InputError(where, `a cpu-model option (${Object.keys(OPTION_CHECKS).join(', ')})`, key);
    if (current.options.has(key!)) throw new InputError(where, `'${key}' once per section`, raw);
    if (!check(value!)) throw new InputError(where, `${key} as ${EXPECTED_VALUE[key!]}`, value);
    current.options.set(key!, { value: value!, line });
  });
  if (current) sections.push(current);
  return sections;
}

/** The flags option taken apart (`+aes;-hle` → aes on, hle off). */
export function cpuModelFlags(section: ProxmoxSection): CpuModelFlag[] {
  const v = section.options.get('flags')?.value;
  if (v === undefined) return [];
  return v.split(';').map((f) => ({ name: f.slice(1), on: f.startsWith('+') }));
}

/**
 * A VM config `cpu:` line as documented (`cpu: [[cputype=]<model>][,flags=...][,...]`): the CPU
 * type, and for a custom model its name without the `custom-` prefix.
 */
export function readVmCpuLine(line: string): { readonly cputype: string; readonly custom: string | undefined } {
  const m = /^cpu: (?:cputype=)?([A-Za-z0-9][A-Za-z0-9_.-]*)(?:,[a-z-]+=[^,\s]+)*$/.exec(line);
  if (!m) throw new InputError({ file: 'vm.conf', line: 1 }, "a VM line 'cpu: [cputype=]MODEL[,key=value...]'", line);
  const cputype = m[1]!;
  return { cputype, custom: cputype.startsWith('custom-') ? cputype.slice('custom-'.length) : undefined };
}
