/**
 * The `openevc explain` paste box: a migration error message (vSphere, libvirt, QEMU, oVirt,
 * KubeVirt) read back into features, CPUID locations and likely causes, by the same code as the
 * CLI (explainMessage and renderExplanation in src/report/explain), here in the page.
 */
import { MAX_INPUT_BYTES, explainMessage, renderExplanation } from '../../src/index.js';
import { el } from './dom.js';
import { errorText } from './model.js';

/** Turns a pasted error message into openevc's explanation, as plain text. */
export type Explainer = (text: string, opts: { readonly vendor?: 'intel' | 'amd' }) => { readonly text: string; readonly ok: boolean };

export const explainer: Explainer | undefined = (text, opts) => {
  if (text.length > MAX_INPUT_BYTES) return { text: `(pasted): expected a message of at most ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, ok: false };
  try {
    return { text: renderExplanation(explainMessage(text, { file: '(pasted)', ...(opts.vendor ? { vendor: opts.vendor } : {}) })), ok: true };
  } catch (e) {
    return { text: errorText(e), ok: false };
  }
};

export function explainPanel(fn: Explainer): HTMLElement {
  const box = el('textarea', { id: 'explain-input', rows: '8', placeholder: 'paste the message a migration failed with (vSphere, libvirt, QEMU, oVirt, KubeVirt)', 'aria-label': 'message to explain' });
  const vendor = el('select', { id: 'explain-vendor', 'aria-label': 'CPU vendor' }, el('option', { value: '' }, 'any vendor'), el('option', { value: 'intel' }, 'Intel'), el('option', { value: 'amd' }, 'AMD'));
  const out = el('pre', { id: 'explain-output', class: 'output' });
  const go = el('button', { type: 'button', id: 'explain-go' }, 'Explain');
  go.addEventListener('click', () => {
    const v = vendor.value;
    const r = fn(box.value, v === 'intel' || v === 'amd' ? { vendor: v } : {});
    out.textContent = r.text;
    out.classList.toggle('error', !r.ok);
  });
  return el(
    'section',
    { class: 'detail' },
    el('p', {}, 'What openevc explain prints for a pasted message: the features it names, where they live in CPUID, and why a host probably lacks them. The text stays in this page.'),
    box,
    el('div', { class: 'controls' }, go, el('label', {}, 'hosts are ', vendor)),
    out,
  );
}
