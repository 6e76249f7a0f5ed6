/**
 * A VM's own CPU configuration (.vmx register masks and per-VM EVC lines) as `check` options.
 */
import { catalog } from '../../core/catalog.js';
import type { CheckOptions } from '../../core/check.js';
import type { Host } from '../../core/host.js';
import { unmetRequirements } from '../../core/masks/engine.js';
import type { ProfileDef, ProfileOptions } from '../../core/profiles.js';
import { guestFeatures } from '../../core/profiles.js';
import type { VmxCpu } from './cpu.js';
import { vmxRequirements } from './cpu.js';

/**
 * What a VM configured by a .vmx (register masks and per-VM EVC featMask lines) needs from a
 * destination, as check options: the features it was shown at power-on on `src` and still needs,
 * the features it requires absent, and identity requirements `dst` does not meet.
 */
export function vmxCheckOptions(cpu: VmxCpu, src: Host, dst: Host, view: ProfileDef, opts: ProfileOptions = {}): Pick<CheckOptions, 'vmRequirements' | 'vmForbids' | 'vmUnmetIdentity'> {
  const visible = guestFeatures(src, view, opts);
  const reqs = vmxRequirements(cpu, src.dump, { visible, phase: 'vmotion' });
  const needs = catalog.emptySet();
  const forbids = catalog.emptySet();
  for (const r of reqs.bits) {
    if (!r.feature || r.feature.kind !== 'feature') continue;
    (r.mustBe === 1 ? needs : forbids).add(r.feature);
  }
  // A feature the mask hides takes its dependents with it (no XSAVE, no XSAVEOPT or AVX for the guest),
  // even where the mask leaves their own bits alone: the guest cannot use them.
  needs.subtract(catalog.dependents(visible.minus(needs)).minus(visible.minus(needs)).intersection(needs));
  const unmet = unmetRequirements({ bits: [], identity: reqs.identity }, dst.dump).identity.map(
    (u) => `${u.requirement.key} ${u.requirement.op === 'min' ? '>=' : '<='} 0x${u.requirement.value.toString(16)} (the destination has ${u.found === undefined ? 'no value' : `0x${u.found.toString(16)}`})`,
  );
  return { vmRequirements: needs, vmForbids: forbids, vmUnmetIdentity: unmet };
}
