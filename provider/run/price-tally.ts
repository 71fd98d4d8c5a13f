// The run's new orders and their prices as check quoted them, and the running total each price
// line ends with. Part of the run context: one total for every order kind of the run.
import { bssPrices } from "../client";
import { formatMoney, type PreviewPrice } from "../billing/price-quote";
import { runSettingKey } from "../contract/run-settings";

/**
 * The update's new orders and their prices, as this process has quoted them. Keyed by resource,
 * so a resource quoted again (a second check of the same resource) replaces its entry.
 */
export class PriceTally {
  private readonly entries = new Map<string, PreviewPrice | undefined>();
  /**
   * BSS's answers in this process, by what was asked: orders alike (same products, project and
   * credentials) are asked once per engine run, however many the stack declares; each still gets
   * its line. Only answers are kept: an inquiry that failed is asked again for the next order.
   */
  readonly answers = new Map<string, PreviewPrice>();
  private updating = false;
  private skipNoticeGiven = false;

  /** The engine asked this process to create an order: it serves an update, not a preview. */
  markUpdate(): void {
    this.updating = true;
  }

  get servesUpdate(): boolean {
    return this.updating;
  }

  /**
   * The one line of an update that stops asking prices because the API throttles; undefined
   * once it was given.
   */
  skipNotice(): string | undefined {
    if (this.skipNoticeGiven) return undefined;
    this.skipNoticeGiven = true;
    const count = this.entries.size;
    return (
      "the API is throttling this update (HTTP 429): new orders are not priced again from here on " +
      `(${count} priced before), so that every request the rate allows goes to an order. A price at \`up\` ` +
      `is information only; the preview shows each order's price. Set ${runSettingKey("requirePreviewPrice")} to ` +
      "true to price every order even so"
    );
  }

  /** Records a resource's quote (undefined: no price) and returns the running total's line. */
  record(label: string, price: PreviewPrice | undefined): string {
    this.entries.set(label, price);
    return this.summary();
  }

  summary(): string {
    const priced = [...this.entries.values()].filter((p): p is PreviewPrice => p !== undefined);
    const missing = [...this.entries.entries()].filter(([, p]) => p === undefined).map(([label]) => label);
    const byCurrency = new Map<string, { amount: number; official: number }>();
    for (const p of priced) {
      const sum = byCurrency.get(p.currency) ?? { amount: 0, official: 0 };
      byCurrency.set(p.currency, {
        amount: bssPrices.roundCents(sum.amount + p.amount),
        official: bssPrices.roundCents(sum.official + p.officialAmount),
      });
    }
    const totals = [...byCurrency.entries()];
    const total =
      totals.length === 0
        ? "no price known"
        : `total ${totals.map(([c, s]) => formatMoney(s.amount, c)).join(" + ")} (official ${totals
            .map(([c, s]) => formatMoney(s.official, c))
            .join(" + ")})`;
    const count = this.entries.size;
    return (
      `update total so far: ${count} new paid order${count === 1 ? "" : "s"}, ${total}` +
      (missing.length > 0 ? `; ${missing.length} without a price (${missing.join(", ")}), not counted` : "") +
      `. The last "update total" line of a preview is the update's total`
    );
  }
}
