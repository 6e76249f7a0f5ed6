import { describe, expect, it } from 'vitest';
import { decodeSignature, identify, signatureOf } from './identity.js';
import { CpuidDump } from './cpuid.js';
import { microarchitecture } from './uarch.js';

function str4(s: string): number {
  let v = 0;
  for (let i = 0; i < 4; i++) v |= (s.charCodeAt(i) || 0) << (8 * i);
  return v >>> 0;
}


describe('decodeSignature', () => {
  it('applies the extended family from base family 0xF and the extended model from family 6 on', () => {
    expect(decodeSignature(0x000306a9)).toEqual({ family: 6, model: 0x3a, stepping: 9 }); // Ivy Bridge
    expect(decodeSignature(0x00a00f11)).toEqual({ family: 0x19, model: 0x01, stepping: 1 }); // Zen 3 Milan
    expect(decodeSignature(0x00000f34)).toEqual({ family: 0xf, model: 3, stepping: 4 }); // Pentium 4 Nocona
    expect(decodeSignature(0x000307b2)).toEqual({ family: 7, model: 0x3b, stepping: 2 }); // Zhaoxin KX-6000G
    expect(decodeSignature(0x00000480)).toEqual({ family: 4, model: 8, stepping: 0 }); // 486
    expect(decodeSignature(0x00010590)).toEqual({ family: 5, model: 9, stepping: 0 }); // below family 6 the extended model is ignored
  });
});

describe('identity', () => {
  it('clears processor type and reserved bits from the signature', () => {
    expect(signatureOf(0x100306a9)).toBe(0x000306a9);
    expect(signatureOf(0x000036a9)).toBe(0x000006a9);
  });

  it('reads vendor, brand, leaf ranges and the hypervisor vendor', () => {
    const d = new CpuidDump({ format: 'synthetic', lossy: false });
    d.set(0, 0, { eax: 0xd, ebx: str4('Genu'), edx: str4('ineI'), ecx: str4('ntel') });
    d.set(1, 0, { eax: 0x406d8, ebx: 0, ecx: 0x80000000, edx: 0 });
    d.set(0x40000000, 0, { eax: 0x40000001, ebx: str4('KVMK'), ecx: str4('VMKV'), edx: str4('M\0\0\0') });
    d.set(0x80000000, 0, { eax: 0x80000004, ebx: 0, ecx: 0, edx: 0 });
    const brand = 'Intel(R) Atom(TM) CPU  C2750  @ 2.40GHz'.padEnd(48, '\0');
    for (let i = 0; i < 3; i++) {
      const part = brand.slice(i * 16, i * 16 + 16);
      d.set(0x80000002 + i, 0, { eax: str4(part.slice(0, 4)), ebx: str4(part.slice(4, 8)), ecx: str4(part.slice(8, 12)), edx: str4(part.slice(12, 16)) });
    }
    const id = identify(d);
    expect(id.vendorString).toBe('GenuineIntel');
    expect(id.vendor).toBe('intel');
    expect(id.brand).toBe('Intel(R) Atom(TM) CPU C2750 @ 2.40GHz');
    expect(id.microarchitecture).toBe('Silvermont (Avoton)');
    expect(id.hypervisor).toBe(true);
    expect(id.hypervisorVendor).toBe('KVMKVMKVM');
    expect(id.maxBasicLeaf).toBe(0xd);
    expect(id.maxExtendedLeaf).toBe(0x80000004);
  });

  it('names microarchitectures, using the stepping where the model is shared', () => {
    expect(microarchitecture('intel', 6, 0x55, 4)).toBe('Skylake (SP)');
    expect(microarchitecture('intel', 6, 0x55, 7)).toBe('Cascade Lake');
    expect(microarchitecture('intel', 6, 0x55, 11)).toBe('Cooper Lake');
    expect(microarchitecture('intel', 6, 0x0f, 7)).toBe('Merom (Core 2)');
    expect(microarchitecture('intel', 6, 0x17, 6)).toBe('Penryn (Core 2)');
    expect(microarchitecture('amd', 0x19, 0x01, 1)).toBe('Zen 3');
    expect(microarchitecture('amd', 0x19, 0x11, 1)).toBe('Zen 4');
    expect(microarchitecture('amd', 0x17, 0x08, 2)).toBe('Zen+');
    expect(microarchitecture('amd', 0x17, 0x31, 0)).toBe('Zen 2');
    expect(microarchitecture('amd', 0x1a, 0x02, 1)).toBe('Zen 5');
    expect(microarchitecture(undefined, 6, 0x3a, 9)).toBeUndefined();
  });
});
