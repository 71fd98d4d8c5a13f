// The entry the engine's dynamic-provider process calls for each resource (`__provider` loads
// it by name): one provider per order kind, all serving the process's one run.
import { ORDER_KINDS, type OrderKind, type OrderKindName } from "../orders";
import { PriceTally } from "../run/price-tally";
import { RunContext } from "../run/run-context";
import { OrderProvider } from "./order-provider";

/** The engine's process serves one run (preview, up, refresh or destroy): this is its context. */
const processRun = new RunContext({ prices: new PriceTally() });
const providers: Readonly<Record<string, OrderProvider>> = Object.fromEntries(
  (Object.values(ORDER_KINDS) as OrderKind[]).map((kind) => [kind.name, new OrderProvider(kind, processRun)]),
);

/** The provider for an order resource type; one per process, so configure happens once. */
export function orderProvider(name: OrderKindName): OrderProvider {
  // A kind registered after this module loaded (a test's) gets a provider of the same run.
  return (
    providers[name] ??
    new OrderProvider((ORDER_KINDS as Record<string, OrderKind>)[name] as OrderKind, processRun)
  );
}
