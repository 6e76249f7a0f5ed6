/**
 * What the Plan tab works on, kept apart from the planner so that the page loads the planner (and
 * the YAML parser) only when the tab is opened: the inventories given, the one selected, and the
 * what-if steps applied to it.
 */
import type { InventorySource } from './plan-model.js';

export class PlanInputs {
  readonly sources: InventorySource[] = [];
  selected = 0;
  steps: string[] = [];
  /** Changes whenever what the plan rests on may have changed (an inventory, or a file it names). */
  version = 0;

  /** Adds (or replaces, by name) an inventory and selects it. */
  add(src: InventorySource): void {
    const i = this.sources.findIndex((s) => s.name === src.name);
    if (i >= 0) this.sources[i] = src;
    else this.sources.push(src);
    this.selected = i >= 0 ? i : this.sources.length - 1;
    this.steps = [];
    this.invalidate();
  }

  /** Referenced files may have arrived since: the plan is built again. */
  invalidate(): void {
    this.version++;
  }
}
