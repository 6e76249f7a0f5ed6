/**
 * The `openevc explain` paste box. The panel is built against this small interface; the explain
 * module (src/explain, another branch) plugs in here once it is merged. Until then `explainer` is
 * undefined and the dashboard shows no Explain tab.
 */
import { el } from './dom.js';

/** Turns a pasted error message (libvirt, QEMU, vCenter...) into openevc's explanation, as plain text. */
export type Explainer = (text: string) => { readonly text: string; readonly ok: boolean };

export const explainer: Explainer | undefined = undefined;

export function explainPanel(fn: Explainer): HTMLElement {
  const box = el('textarea', { id: 'explain-input', rows: '8', placeholder: 'paste a migration error (libvirt, QEMU, vCenter…)', 'aria-label': 'message to explain' });
  const out = el('pre', { id: 'explain-output', class: 'output' });
  const go = el('button', { type: 'button', id: 'explain-go' }, 'Explain');
  go.addEventListener('click', () => {
    const r = fn(box.value);
    out.textContent = r.text;
    out.classList.toggle('error', !r.ok);
  });
  return el('section', { class: 'detail' }, box, el('div', {}, go), out);
}
