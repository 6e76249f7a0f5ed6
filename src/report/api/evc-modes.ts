/** EVC mode sets for the API calls: a vCenter list read from text, or the modes found among the inputs. Pure: runs in the browser as in Node. */
import type { Diagnostic } from '../../core/errors.js';
import { builtinEvcModes } from '../../core/evc.js';
import type { EvcMode, EvcModeSet } from '../../core/evc.js';
import { readSupportedEvcModes } from '../../formats/vcenter-evc/reader.js';


/** A vCenter `supportedEVCMode` list (JSON text): the built-in modes with its modes in place of those with the same key. */
export function evcModesFromText(text: string, file = '(input)'): { readonly modes: EvcModeSet; readonly diagnostics: readonly Diagnostic[] } {
  const loaded = readSupportedEvcModes(text, file);
  return { modes: builtinEvcModes().withOverrides(loaded.modes), diagnostics: loaded.diagnostics };
}

/** The modes to use: those given, else the built-in ones with the definitions found among the inputs in place. */
export function resolveEvcModes(given: EvcModeSet | undefined, loaded: readonly EvcMode[] = []): EvcModeSet {
  if (given !== undefined) return given;
  return loaded.length > 0 ? builtinEvcModes().withOverrides(loaded) : builtinEvcModes();
}
