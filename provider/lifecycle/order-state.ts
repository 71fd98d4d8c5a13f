// The order's state machine, written down: every state an order request can be in, and the only
// transitions between them. Pure: no I/O, no Pulumi. Create and update drive it (place, reconcile,
// follow); diff, read and delete ask the state a resource recorded (`recordedStateOf`). States
// that can end an engine call are recorded in the resource's `orderState` output.
//
//   new --send--> sent --answered--> accepted --follow--> following --reached--> reached
//                  |                                 ^        |--waits for payment--> pending-payment
//                  |--unknown--> outcome-unknown     |        `--stopped--> stopped --follow--> following
//                                 |--found--> found -'
//                                 |--not placed--> not-placed --send (once)--> sent
//                                 `--ambiguous / BSS unable--> outcome-unknown (recorded; `up` looks again)
//   new --adopt--> reached (or following, when the resource waits for more)
import type { RecordedOutputs, RecordedState, UnknownOutcome } from "../contract/recorded-outputs";
import { isBefore, STAGES, type Stage } from "../contract/resource-inputs";

export type OrderState =
  | { state: "new" }
  /** The order request is on its way; `attempt` 2 is the one resend after "not placed". */
  | { state: "sent"; attempt: 1 | 2; firstSentAt: string | undefined }
  | { state: "accepted"; orderId: string; requestId: string | null; sentAt: string | null }
  | ({ state: "outcome-unknown"; attempt: 1 | 2 } & UnknownOutcome)
  | { state: "found"; orderId: string; requestId: string | null; sentAt: string }
  /** `lookedFor`: what BSS was asked for and did not show, for the messages that follow. */
  | ({ state: "not-placed"; attempt: 1 | 2; lookedFor: string } & UnknownOutcome)
  | { state: "following"; orderId: string; wanted: Stage }
  | { state: "pending-payment"; orderId: string }
  | { state: "reached"; orderId: string; stage: Stage }
  | { state: "stopped"; orderId: string; stage: Stage; why: string };

export type StateName = OrderState["state"];

export type OrderEvent =
  | { on: "send" }
  | { on: "answered"; orderId: string; requestId: string | null; sentAt: string }
  | { on: "unknown"; sentAt: string; requestId: string | null; cause: string }
  | { on: "found"; orderId: string }
  | { on: "not-placed"; lookedFor: string }
  /** Several candidates, or BSS could not answer: nothing can be concluded yet. */
  | { on: "unsettled" }
  | { on: "adopt"; orderId: string }
  | { on: "follow"; wanted: Stage }
  | { on: "waits-for-payment" }
  | { on: "reached"; stage: Stage }
  | { on: "stopped"; stage: Stage; why: string };

/** A transition the machine does not have: a bug, never an operator's mistake. */
export class InvalidTransition extends Error {
  constructor(from: StateName, on: OrderEvent["on"]) {
    super(`order state machine: no transition from "${from}" on "${on}"`);
  }
}

/** The one resend an unknown outcome allows, once BSS showed the order was not placed. */
const MAX_ATTEMPTS = 2;

/** The next state; throws InvalidTransition for anything the diagram above does not allow. */
export function transition(from: OrderState, event: OrderEvent): OrderState {
  const next = step(from, event);
  if (next === undefined) throw new InvalidTransition(from.state, event.on);
  return next;
}

function step(from: OrderState, event: OrderEvent): OrderState | undefined {
  switch (event.on) {
    case "send":
      if (from.state === "new") return { state: "sent", attempt: 1, firstSentAt: undefined };
      if (from.state === "not-placed" && from.attempt < MAX_ATTEMPTS) {
        return { state: "sent", attempt: 2, firstSentAt: from.sentAt };
      }
      return undefined;
    case "answered":
      if (from.state !== "sent") return undefined;
      return { state: "accepted", orderId: event.orderId, requestId: event.requestId, sentAt: event.sentAt };
    case "unknown":
      if (from.state !== "sent") return undefined;
      return {
        state: "outcome-unknown",
        attempt: from.attempt,
        // The first request's time anchors every later search: the order may be from either.
        sentAt: from.firstSentAt ?? event.sentAt,
        requestId: event.requestId,
        cause: event.cause,
      };
    case "found":
      if (from.state !== "outcome-unknown") return undefined;
      return { state: "found", orderId: event.orderId, requestId: from.requestId, sentAt: from.sentAt };
    case "not-placed":
      if (from.state !== "outcome-unknown") return undefined;
      return { ...from, state: "not-placed", lookedFor: event.lookedFor };
    case "unsettled":
      return from.state === "outcome-unknown" ? from : undefined;
    case "adopt":
      // A new resource records the order as it is; a pending one then follows it as a placed one.
      if (from.state === "new") return { state: "reached", orderId: event.orderId, stage: "submitted" };
      if (from.state !== "outcome-unknown") return undefined;
      return { state: "accepted", orderId: event.orderId, requestId: from.requestId, sentAt: from.sentAt };
    case "follow":
      if (
        from.state === "accepted" ||
        from.state === "found" ||
        from.state === "stopped" ||
        from.state === "reached"
      ) {
        return { state: "following", orderId: from.orderId, wanted: event.wanted };
      }
      return undefined;
    case "waits-for-payment":
      return from.state === "following" ? { state: "pending-payment", orderId: from.orderId } : undefined;
    case "reached":
      if (from.state !== "following" && from.state !== "pending-payment") return undefined;
      return { state: "reached", orderId: from.orderId, stage: event.stage };
    case "stopped":
      if (from.state !== "following" && from.state !== "pending-payment") return undefined;
      return { state: "stopped", orderId: from.orderId, stage: event.stage, why: event.why };
  }
}

/** Whether the request may be sent again: BSS showed it was not placed, and it was sent once. */
export function maySendAgain(state: OrderState): boolean {
  return state.state === "not-placed" && state.attempt < MAX_ATTEMPTS;
}

/** The state a resource records, for the states an engine call can end in. */
export function recordedAs(state: OrderState): RecordedState {
  switch (state.state) {
    case "outcome-unknown":
      return "outcome-unknown";
    case "stopped":
      return "stopped";
    case "reached":
      return "reached";
    default:
      throw new Error(`order state machine: "${state.state}" is never recorded`);
  }
}

/** The state a resource's outputs record (readRecorded gives earlier releases' states one). */
export function recordedStateOf(recorded: RecordedOutputs): OrderState {
  if (recorded.orderState === "outcome-unknown" && recorded.unknownOutcome) {
    return { state: "outcome-unknown", attempt: 1, ...recorded.unknownOutcome };
  }
  const stage = recorded.orderStage;
  if (recorded.orderState === "stopped") {
    return { state: "stopped", orderId: recorded.orderId, stage, why: "following it stopped" };
  }
  return { state: "reached", orderId: recorded.orderId, stage };
}

/**
 * What an update does with a recorded order (the engine sends here a resource saved with
 * initialization errors, and one whose `waitUntil` now asks for more):
 * - "settle": its request's outcome is unknown: adopt the named order, or look it up through BSS;
 * - "follow": it has not reached the wanted stage (a cancelled order is read again, and refused again);
 * - "record": nothing to follow; only the inputs that are not part of the order are recorded.
 */
export function resumeAction(
  recorded: RecordedOutputs,
  wanted: Stage,
  cancelledStatus: number,
): "settle" | "follow" | "record" {
  if (recordedStateOf(recorded).state === "outcome-unknown") return "settle";
  if (isBefore(recorded.orderStage, wanted) || recorded.orderStatus === cancelledStatus) return "follow";
  return "record";
}

/**
 * Whether a declared `waitUntil` asks for more than the order is known to have reached: an update
 * follows it further (never a new order).
 */
export function followsFurther(recorded: RecordedOutputs, wanted: unknown): wanted is Stage {
  return (
    typeof wanted === "string" &&
    STAGES.includes(wanted as Stage) &&
    isBefore(recorded.orderStage, wanted as Stage)
  );
}
