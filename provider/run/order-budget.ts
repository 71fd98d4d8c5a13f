// A per-update budget of new paid orders (`huaweicloud-orders:maxNewOrders`). Every order resource of an
// update is checked and diffed in this one dynamic-provider process, so a count kept here sees
// the whole update. A preview counts every new order before anything is bought and fails on the
// one over the budget; an `up` without a preview checks each resource just before creating it,
// so there the budget caps what is bought.

import { runSettingKey } from "../contract/run-settings";

export class OrderBudget {
  private readonly counted = new Map<string, string>();

  /**
   * Counts one new order. `key` identifies the resource: the engine checks a replacement again
   * after diffing it, and that second call counts nothing (`first` is false). `refusal` is set
   * when the update goes over `limit`.
   */
  count(key: string, label: string, limit: number | undefined): { first: boolean; refusal?: string } {
    const first = !this.counted.has(key);
    if (first) this.counted.set(key, label);
    if (limit === undefined || this.counted.size <= limit) return { first };
    const labels = [...this.counted.values()];
    const refusal =
      `this update would place ${labels.length} new paid order${labels.length === 1 ? "" : "s"}, more than ${runSettingKey("maxNewOrders")} ` +
      `(${limit}): ${labels.join(", ")}. Nothing has been ordered for this resource. If a resource was ` +
      `renamed or moved, give it \`aliases\` so it keeps its order; if the orders are intended, raise ` +
      `${runSettingKey("maxNewOrders")} for this update`;
    return { first, refusal };
  }
}
