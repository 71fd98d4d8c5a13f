import * as assert from "node:assert/strict";
import type { FaultSpec, OrderRecord, OrderService } from "../../emulator";
import { spawnUp } from "../support/engine";
import { engineSuite, type EngineStack } from "../support/engine-suite";
import { killTree, waitForExit } from "../support/processes";
import { seeded } from "../support/seeded";

// Many short `pulumi up` rounds against the emulator, each disturbed by one seeded fault: 429s,
// 5xx, latency, accept-then-drop, a token lapsing in flight, or the engine killed mid-create; and
// in some rounds also by one billing (BSS) disturbance: a refused payment, a cancelled order,
// throttled BSS, or a subscription unsubscribed outside Pulumi (then a refresh). Auto-paid intents
// are followed until provisioned, and removed intents are unsubscribed when they say so. After
// every round the operator's recovery from the README is followed where needed, and the books
// must balance: every order the emulator accepted is in the stack's state or was named to the
// operator, so no intent silently produced two orders; no order was paid twice; and nothing that
// is not the stack's was unsubscribed (an order placed outside the stack stays untouched).
const SEED = Number(process.env["SOAK_SEED"] ?? 20261126);
// Seven: each of the seven order disruptions once, and each billing disruption on one of the four
// rounds that leave it recognisable.
const ROUNDS = Number(process.env["SOAK_ROUNDS"] ?? 7);

interface Intent {
  kind: OrderService;
  name: string;
  /** DIS only: the order id, which is also how its orders are told apart. */
  orderId?: string;
  /** subscriptionNum: tells a MetaStudio intent's orders apart by their body. */
  tag: number;
  periodNum: number;
  adoptOrderId?: string;
  /** DIS: autoPay and followed until provisioned; MetaStudio: isAutoPay. */
  autoPay: boolean;
  onDestroy: "keep" | "unsubscribe";
}

const DISRUPTIONS = ["none", "throttle", "error", "latency", "drop", "token-expiry", "interrupt"] as const;
type Disruption = (typeof DISRUPTIONS)[number];
/** Order disruptions after which a billing disruption can still be told apart in the same round. */
const BILLING_COMPATIBLE: readonly Disruption[] = ["none", "throttle", "latency", "token-expiry"];
const BILLING = ["payment-refused", "order-cancelled", "bss-throttle", "outside-unsubscribe"] as const;
type Billing = (typeof BILLING)[number] | "none";

describe(`soak: seeded faults over ${ROUNDS} rounds (seed ${SEED}; set SOAK_SEED, SOAK_ROUNDS to vary)`, function () {
  const suite = engineSuite({ emulator: { billingDelayMs: 30 } });
  const emu = suite.emu;
  let temp: EngineStack;
  const random = seeded(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  // Every kind of disruption at least once (in a seeded order), then seeded picks.
  const plan: Disruption[] = [...DISRUPTIONS]
    .map((d) => [random(), d] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, d]) => d);
  while (plan.length < ROUNDS) plan.push(pick(DISRUPTIONS));
  // Each billing disruption once, on rounds whose order disruption leaves it recognisable.
  const billingPlan: Billing[] = plan.map(() => "none");
  const slots = plan.flatMap((d, i) => (BILLING_COMPATIBLE.includes(d) ? [i] : []));
  [...BILLING]
    .map((b) => [random(), b] as const)
    .sort((a, b) => a[0] - b[0])
    .forEach(([, b], i) => {
      const slot = slots[i];
      if (slot !== undefined) billingPlan[slot] = b;
    });
  /** The order placed outside the stack (same account): nothing may ever unsubscribe it. */
  let foreign: { orderId: string; resourceIds: string[] };
  const intents: Intent[] = [];
  /** Order ids the operator was told were removed from the stack (deduplicated per run). */
  const warned: string[] = [];
  let serial = 0;

  before(async function () {
    temp = await suite.stack("soak", {
      credentials: "password",
      config: {
        "huaweicloud-orders:orderPollIntervalSeconds": "0.05",
        projectId: emu.projectId,
        intents: "[]",
      },
    });
    foreign = await orderOutsideTheStack();
  });

  const seedNote = () => `(seed ${SEED}; rerun with SOAK_SEED=${SEED})`;

  /** Someone else's auto-paid MetaStudio subscription in the same account, placed through the API. */
  async function orderOutsideTheStack(): Promise<{ orderId: string; resourceIds: string[] }> {
    const orderId = await emu.outsideMetaStudioOrder({
      resource_spec_code: "not.the.stacks.spec",
      is_auto_pay: 1,
    });
    await waitFor(() => emu.emulator.billingResources().some((r) => r.orderId === orderId));
    const resourceIds = emu.emulator
      .billingResources()
      .filter((r) => r.orderId === orderId)
      .map((r) => r.resourceId);
    return { orderId, resourceIds };
  }

  /** The emulator's billing moves on its own clock (30 ms here): polls until `ready`. */
  async function waitFor(ready: () => boolean): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!ready()) {
      assert.ok(Date.now() < deadline, `the emulator's billing did not move ${seedNote()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The billing books: no order paid twice, and only the stack's own resources unsubscribed. */
  function checkBillingBooks(): void {
    const paid = new Map<string, number>();
    const unsubscribed: string[] = [];
    for (const r of emu.requests()) {
      const body = (r.body ?? {}) as { order_id?: string; resource_ids?: string[] };
      if (r.path === "/v3/orders/customer-orders/pay" && r.status === 204 && body.order_id)
        paid.set(body.order_id, (paid.get(body.order_id) ?? 0) + 1);
      if (r.path === "/v2/orders/subscriptions/resources/unsubscribe" && r.status === 200)
        unsubscribed.push(...(body.resource_ids ?? []));
    }
    for (const [orderId, times] of paid)
      assert.equal(times, 1, `order ${orderId} was paid ${times} times ${seedNote()}`);
    for (const id of unsubscribed)
      assert.ok(
        !foreign.resourceIds.includes(id),
        `a resource not the stack's was unsubscribed ${seedNote()}`,
      );
    const untouched = emu.emulator
      .billingResources()
      .filter((r) => foreign.resourceIds.includes(r.resourceId) && r.removedAt === undefined);
    assert.equal(
      untouched.length,
      foreign.resourceIds.length,
      `the outside order lost resources ${seedNote()}`,
    );
  }

  async function setIntents(): Promise<void> {
    await temp.configure({ intents });
  }

  /**
   * What the operator saw in one run, each order once: the orders removed from the stack with a
   * warning, those unsubscribed on destroy, and those cancelled (nothing bought).
   */
  function readOutput(text: string): void {
    const named = new Set([
      ...[...text.matchAll(/order (\S+) \([^)]*\) was removed from the stack/g)].map((m) => m[1]),
      ...[...text.matchAll(/order (\S+) was cancelled/g)].map((m) => m[1]),
      ...[...text.matchAll(/order (\S+)[^\n]*(?:unsubscribed|leaves the stack)/g)].map((m) => m[1]),
    ]);
    for (const id of named) if (id && !warned.includes(id)) warned.push(id);
  }

  async function ordersInState(): Promise<string[]> {
    return (await temp.state()).orders.map((r) => r.id ?? "");
  }

  /** The emulator's orders less those in state and those named in warnings (as multisets). */
  async function unaccounted(): Promise<OrderRecord[]> {
    const known = [...(await ordersInState()), ...warned];
    return emu.orders().filter((o) => {
      if (o.orderId === foreign.orderId) return false;
      const i = known.indexOf(o.orderId);
      if (i < 0) return true;
      known.splice(i, 1);
      return false;
    });
  }

  /** The intent an order was placed for, read from its request as an operator reads its details. */
  function intentOf(order: OrderRecord): Intent | undefined {
    const body = order.request.body as {
      cloudServices?: { periodNum?: number };
      cloud_services?: { period_num?: number; subscription_num?: number }[];
    };
    return intents.find((i) =>
      i.kind === "dis"
        ? order.service === "dis" &&
          order.request.path.endsWith(`/${i.orderId}`) &&
          body.cloudServices?.periodNum === i.periodNum
        : order.service === "metastudio" &&
          body.cloud_services?.[0]?.subscription_num === i.tag &&
          body.cloud_services[0]?.period_num === i.periodNum,
    );
  }

  /** One `pulumi up` killed with SIGKILL (CLI, language host, program, provider) once an order is in. */
  async function interruptedUp(service: OrderService): Promise<string> {
    emu.emulator.injectFaults({ kind: "latency", ms: 120_000, count: 1, service });
    const ordered = emu.emulator.nextOrder(service);
    const up = spawnUp(temp);
    const first = await Promise.race([
      ordered.then(() => "ordered" as const),
      up.exited.then(() => "exited" as const),
    ]);
    assert.equal(first, "ordered", `the run ended before its order arrived ${seedNote()}:\n${up.output()}`);
    // The CLI starts each plugin in a process group of its own: kill the whole tree, as a crash
    // of the machine would, so no language host or provider of the killed run outlives it.
    const killed = killTree(up.pid);
    await up.exited;
    const survivors = await waitForExit(killed, 10_000);
    assert.deepEqual(survivors, [], `processes of the killed run still run ${seedNote()}`);
    assert.ok(
      killed.length >= 4,
      `the CLI, language host, program and provider were killed: ${killed.length}`,
    );
    emu.emulator.clearFaults();
    return up.output();
  }

  function billingFaultFor(billing: Billing, service: OrderService): FaultSpec | undefined {
    switch (billing) {
      case "payment-refused":
        return { kind: "payment-refused", count: 1, service: "dis" };
      case "order-cancelled":
        return { kind: "order-cancelled", count: 1, service };
      case "bss-throttle":
        return {
          kind: "throttle",
          count: 1 + Math.floor(random() * 3),
          retryAfterSeconds: 1,
          service: "bss",
        };
      default:
        return undefined;
    }
  }

  function faultFor(disruption: Disruption, service: OrderService): FaultSpec | undefined {
    switch (disruption) {
      case "throttle":
        return { kind: "throttle", count: 1 + Math.floor(random() * 3), retryAfterSeconds: 1 };
      case "error":
        return { kind: "error", count: 1, status: pick([500, 502, 503, 504] as const), service };
      case "latency":
        return { kind: "latency", ms: 50 + Math.floor(random() * 400), count: 2, service };
      case "drop":
        return { kind: "drop", count: 1, service };
      case "token-expiry":
        return { kind: "token-expiry", count: 1, service };
      default:
        return undefined;
    }
  }

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: every order is in the stack or was named to the operator`, async function () {
      // The operator removes adoptOrderId once the adopted order is in the stack.
      for (const intent of intents) delete intent.adoptOrderId;
      // Plan: one new intent (so there is always an order to disturb), sometimes a change that
      // replaces an order, sometimes a removal.
      const disruption = plan[round - 1] ?? "none";
      const billing = billingPlan[round - 1] ?? "none";
      // A refused payment needs an order this run pays: a DIS order with autoPay.
      const kind: OrderService = billing === "payment-refused" ? "dis" : pick(["dis", "metastudio"] as const);
      serial++;
      intents.push({
        kind,
        name: `${kind}-${serial}`,
        orderId: `SOAK${serial}`,
        tag: serial,
        periodNum: 1,
        // The billing disruptions each need a paid order: forced for the round's new intent.
        autoPay: billing !== "none" || random() < 0.5,
        onDestroy: "keep",
      });
      const added = intents.at(-1) as Intent;
      // Only a paid order has resources to unsubscribe; one nobody pays is kept.
      if (added.autoPay && random() < 0.6) added.onDestroy = "unsubscribe";
      // No other new order in a round whose billing disruption aims at the next one.
      if (intents.length > 2 && random() < 0.35 && billing === "none") {
        const changed = pick(intents.slice(0, -1));
        changed.periodNum = changed.periodNum === 1 ? 2 : 1;
        // A DIS order id names one order: the changed order gets an id of its own.
        if (changed.kind === "dis") changed.orderId = `SOAK${serial}R${changed.tag}`;
      }
      if (intents.length > 4 && random() < 0.3)
        intents.splice(Math.floor(random() * (intents.length - 1)), 1);
      await setIntents();
      if (this.test)
        this.test.title += ` [${disruption} on ${kind}${billing === "none" ? "" : `, ${billing}`}]`;

      let text = "";
      let failed = false;
      if (disruption === "interrupt") {
        text = await interruptedUp(kind);
        failed = true;
        // docs/recovery.md "When an order's outcome is unknown", case 2.
        await temp.stack.cancel();
        assert.ok(
          (await temp.state()).pendingOperations.includes("creating"),
          `the interrupted create is recorded as pending ${seedNote()}`,
        );
        await temp.refresh({ clearPendingCreates: true, onOutput: (l) => void (text += l) });
      } else {
        const fault = faultFor(disruption, kind);
        if (fault) emu.emulator.injectFaults(fault);
        const billingFault = billingFaultFor(billing, kind);
        if (billingFault) emu.emulator.injectFaults(billingFault);
        try {
          await temp.up({ onOutput: (l) => void (text += l) });
        } catch (err) {
          failed = true;
          text += (err as Error).message;
          assert.match(
            text,
            /outcome of the order is unknown|paying order \S+ through BSS failed|was cancelled|BSS shows a recent order/,
            `a failed run says why ${seedNote()}:\n${text.slice(-2000)}`,
          );
        }
        emu.emulator.clearFaults();
      }
      readOutput(text);
      if (billing === "payment-refused")
        assert.match(text, /through BSS failed/, `the refusal is told ${seedNote()}`);
      if (billing === "order-cancelled") {
        // The new order is cancelled (before or after the payment sent for it): the run fails on it,
        // and the operator gives it up: removed, it leaves the stack with a warning.
        assert.match(text, /was cancelled|through BSS failed/, `the cancellation is told ${seedNote()}`);
        const cancelled = intents.pop() as Intent;
        cancelled.onDestroy = "keep";
        await setIntents();
      }

      if (failed) {
        // The duplicate guard named an order of the account no resource holds (one the stack
        // gave up earlier, with the same line items): the operator adopts it, as it says.
        for (const [, name, orderId] of text.matchAll(
          /MetaStudioSubscription '([^']+)': BSS shows a recent order[^:]*: (\S+)/g,
        )) {
          const intent = intents.find((i) => i.name === name);
          assert.ok(intent && orderId, `the guard named ${name}, an intent of this round ${seedNote()}`);
          intent.adoptOrderId = orderId;
        }
        // README case 1 and the end of case 2: find each order the stack does not know, adopt it.
        for (const order of await unaccounted()) {
          const intent = intentOf(order);
          assert.ok(intent, `order ${order.orderId} matches no intent: a stray order ${seedNote()}`);
          assert.equal(intent.adoptOrderId, undefined, `two orders for ${intent.name} ${seedNote()}`);
          intent.adoptOrderId = order.orderId;
        }
        await setIntents();
        readOutput((await temp.up()).stdout);
      }

      if (billing === "outside-unsubscribe") {
        // Someone unsubscribes one of the stack's subscriptions in the console; refresh says so and keeps it.
        const ours = new Set(await ordersInState());
        const victim = emu.emulator
          .billingResources()
          .find((r) => ours.has(r.orderId) && r.removedAt === undefined);
        assert.ok(victim, `the stack holds a provisioned order ${seedNote()}`);
        assert.ok(emu.emulator.changeResource(victim.resourceId, "unsubscribe"));
        const refreshed = (await temp.refresh()).stdout;
        assert.match(refreshed, new RegExp(`${victim.orderId}.*unsubscribed`), `refresh tells ${seedNote()}`);
        assert.ok((await ordersInState()).includes(victim.orderId), `refresh kept the order ${seedNote()}`);
      }

      assert.deepEqual(await unaccounted(), [], `orders neither in the stack nor named ${seedNote()}`);
      const inState = await ordersInState();
      assert.equal(inState.length, intents.length, `one order per intent in the stack ${seedNote()}`);
      checkBillingBooks();
    });
  }
});
