import * as assert from "node:assert/strict";
import { readRecorded } from "../../provider/contract/recorded-outputs";
import {
  followsFurther,
  InvalidTransition,
  maySendAgain,
  recordedAs,
  recordedStateOf,
  resumeAction,
  transition,
  type OrderEvent,
  type OrderState,
} from "../../provider/lifecycle/order-state";

const CANCELLED = 4;
const SENT_AT = "2026-12-06T07:00:00.000Z";

/** Runs the events from "new", returning every state passed through. */
function run(...events: OrderEvent[]): OrderState[] {
  const states: OrderState[] = [{ state: "new" }];
  for (const event of events) states.push(transition(states[states.length - 1] as OrderState, event));
  return states;
}
const names = (states: OrderState[]) => states.map((s) => s.state);
const last = (states: OrderState[]) => states[states.length - 1] as OrderState;

describe("the order's state machine", function () {
  describe("placing an order", function () {
    it("a request answered with an order is accepted, followed, and reaches the wanted stage", function () {
      const states = run(
        { on: "send" },
        { on: "answered", orderId: "CS1", requestId: "r1", sentAt: SENT_AT },
        { on: "follow", wanted: "provisioned" },
        { on: "waits-for-payment" },
        { on: "reached", stage: "provisioned" },
      );
      assert.deepEqual(names(states), ["new", "sent", "accepted", "following", "pending-payment", "reached"]);
      assert.deepEqual(last(states), { state: "reached", orderId: "CS1", stage: "provisioned" });
      assert.equal(recordedAs(last(states)), "reached");
    });

    it("an unknown outcome found through BSS is the resource's order; nothing is sent again", function () {
      const states = run(
        { on: "send" },
        { on: "unknown", sentAt: SENT_AT, requestId: null, cause: "HTTP 502" },
        { on: "found", orderId: "MS1" },
        { on: "follow", wanted: "submitted" },
      );
      assert.deepEqual(names(states), ["new", "sent", "outcome-unknown", "found", "following"]);
      assert.deepEqual(states[3], { state: "found", orderId: "MS1", requestId: null, sentAt: SENT_AT });
    });

    it("not placed: sent once more, anchored to the first request's time; not placed twice: never a third time", function () {
      const states = run(
        { on: "send" },
        { on: "unknown", sentAt: SENT_AT, requestId: "r1", cause: "timeout" },
        { on: "not-placed", lookedFor: "order CS1" },
      );
      assert.equal(maySendAgain(last(states)), true);
      const again = transition(last(states), { on: "send" });
      assert.deepEqual(again, { state: "sent", attempt: 2, firstSentAt: SENT_AT });
      const second = transition(again, {
        on: "unknown",
        sentAt: "2026-12-06T07:05:00.000Z",
        requestId: "r2",
        cause: "timeout",
      });
      assert.equal(second.state === "outcome-unknown" && second.sentAt, SENT_AT, "the first request's time");
      const notTwice = transition(second, { on: "not-placed", lookedFor: "order CS1" });
      assert.equal(maySendAgain(notTwice), false);
      assert.throws(() => transition(notTwice, { on: "send" }), InvalidTransition);
    });

    it("several candidates or BSS unable to answer: the outcome stays unknown, recorded as such", function () {
      const unknown = last(
        run({ on: "send" }, { on: "unknown", sentAt: SENT_AT, requestId: null, cause: "reset" }),
      );
      const after = transition(unknown, { on: "unsettled" });
      assert.deepEqual(after, unknown);
      assert.equal(recordedAs(after), "outcome-unknown");
    });

    it("a stopped follow is recorded with its order and resumed by the next update", function () {
      const stopped = last(
        run(
          { on: "send" },
          { on: "answered", orderId: "CS1", requestId: "r1", sentAt: SENT_AT },
          { on: "follow", wanted: "paid" },
          { on: "stopped", stage: "submitted", why: "timeout" },
        ),
      );
      assert.equal(recordedAs(stopped), "stopped");
      assert.equal(transition(stopped, { on: "follow", wanted: "paid" }).state, "following");
    });
  });

  describe("adopting", function () {
    it("a new resource records the named order as it is; a pending one follows it as placed", function () {
      assert.deepEqual(transition({ state: "new" }, { on: "adopt", orderId: "CS9" }), {
        state: "reached",
        orderId: "CS9",
        stage: "submitted",
      });
      const pending: OrderState = {
        state: "outcome-unknown",
        attempt: 1,
        sentAt: SENT_AT,
        requestId: "r",
        cause: "x",
      };
      assert.deepEqual(transition(pending, { on: "adopt", orderId: "CS9" }), {
        state: "accepted",
        orderId: "CS9",
        requestId: "r",
        sentAt: SENT_AT,
      });
    });
  });

  describe("transitions the machine does not have", function () {
    const cases: [OrderState, OrderEvent][] = [
      [{ state: "new" }, { on: "answered", orderId: "X", requestId: null, sentAt: SENT_AT }],
      [{ state: "accepted", orderId: "X", requestId: null, sentAt: null }, { on: "send" }],
      [
        { state: "reached", orderId: "X", stage: "paid" },
        { on: "unknown", sentAt: SENT_AT, requestId: null, cause: "" },
      ],
      [
        { state: "sent", attempt: 1, firstSentAt: undefined },
        { on: "found", orderId: "X" },
      ],
      [
        { state: "reached", orderId: "X", stage: "paid" },
        { on: "adopt", orderId: "Y" },
      ],
      [{ state: "new" }, { on: "reached", stage: "paid" }],
    ];
    for (const [from, event] of cases) {
      it(`"${from.state}" on "${event.on}" is refused, never taken`, function () {
        assert.throws(() => transition(from, event), InvalidTransition);
      });
    }
    it("only outcome-unknown, stopped and reached are ever recorded", function () {
      assert.throws(
        () => recordedAs({ state: "sent", attempt: 1, firstSentAt: undefined }),
        /never recorded/,
      );
    });
  });

  describe("what diff, update, read and delete ask of a recorded resource", function () {
    const placed = { orderId: "CS1", orderStage: "paid", orderStatus: 3, orderState: "reached" };

    it("a pending resource (unknownOutcome set) is settled first, whatever else it records", function () {
      const recorded = readRecorded("unknown-outcome-1", {
        unknownOutcome: { sentAt: SENT_AT, requestId: null, cause: "HTTP 502" },
        orderState: "reached",
      });
      assert.equal(recorded.orderState, "outcome-unknown");
      assert.deepEqual(recordedStateOf(recorded), {
        state: "outcome-unknown",
        attempt: 1,
        sentAt: SENT_AT,
        requestId: null,
        cause: "HTTP 502",
      });
      assert.equal(resumeAction(recorded, "submitted", CANCELLED), "settle");
    });

    it("an update follows an order short of the wanted stage, or cancelled; otherwise it only records", function () {
      const recorded = readRecorded("CS1", placed);
      assert.equal(resumeAction(recorded, "provisioned", CANCELLED), "follow");
      assert.equal(resumeAction(recorded, "paid", CANCELLED), "record");
      assert.equal(
        resumeAction(readRecorded("CS1", { ...placed, orderStatus: CANCELLED }), "paid", CANCELLED),
        "follow",
      );
    });

    it("a raised waitUntil follows further; a lower or malformed one does not", function () {
      const recorded = readRecorded("CS1", placed);
      assert.equal(followsFurther(recorded, "provisioned"), true);
      assert.equal(followsFurther(recorded, "submitted"), false);
      assert.equal(followsFurther(recorded, "paid"), false);
      assert.equal(followsFurther(recorded, "later"), false);
    });

    it("state written by an earlier release reads as reached, not followed, kept on destroy", function () {
      const recorded = readRecorded("CS1", { orderId: "CS1", requestId: "r", submittedAt: SENT_AT });
      assert.equal(recorded.orderState, "reached");
      assert.equal(recorded.orderStage, "submitted");
      assert.equal(recorded.onDestroy, "keep");
      assert.equal(recorded.subscriptionStatus, "unknown");
      assert.deepEqual(recordedStateOf(recorded), { state: "reached", orderId: "CS1", stage: "submitted" });
    });

    it("nulls and malformed fields read as what they stand for; the id names the order unless orderId does", function () {
      const recorded = readRecorded("unknown-outcome-1", {
        orderId: "MS7",
        orderStage: null,
        purchasedResources: null,
        onDestroy: 3,
        orderState: "later",
      });
      assert.equal(recorded.orderId, "MS7");
      assert.equal(recorded.orderStage, "submitted");
      assert.deepEqual(recorded.purchasedResources, []);
      assert.equal(recorded.onDestroy, "keep");
      assert.equal(recorded.orderState, "reached");
      assert.equal(readRecorded("CS2", {}).orderId, "CS2");
    });
  });
});
