import { describe, expect, it } from 'vitest';
import { decodeSignature } from './identity.js';

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
