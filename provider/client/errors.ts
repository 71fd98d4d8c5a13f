// Errors the client raises. Each carries what an operator needs (service, operation, HTTP status,
// Huawei's error_code/error_msg, X-Request-Id, attempts) and reads as one clear message in
// `pulumi up` output. Messages are built through a Redactor, so they never carry a credential.
import type { Redactor } from "./redaction";
import { SERVICES, type ServiceName } from "./services";

export type { ServiceName } from "./services";

export interface CallMetadata {
  service: ServiceName;
  /** The API operation, named as Huawei's pages name it. */
  operation: string;
  httpStatus?: number | undefined;
  errorCode?: string | undefined;
  errorMsg?: string | undefined;
  requestId?: string | undefined;
  /** How many times the request was sent. */
  attempts: number;
}

/** A call that Huawei Cloud answered with an error, or that could not be made at all. */
export class HuaweiCloudError extends Error {
  override readonly name: string = "HuaweiCloudError";
  readonly metadata: Readonly<CallMetadata>;

  constructor(metadata: CallMetadata, detail: string, redactor: Redactor) {
    super(redactor.text(`${describeCall(metadata)}: ${detail}`));
    this.metadata = {
      ...metadata,
      errorMsg: metadata.errorMsg === undefined ? undefined : redactor.text(metadata.errorMsg),
    };
  }
}

/**
 * A request that changes something (places an order, pays, unsubscribes) may have reached the
 * server and acted, but no answer says so: a timeout after sending, a connection reset
 * mid-response, or a 5xx. Never retried automatically.
 */
export class OutcomeUnknownError extends HuaweiCloudError {
  override readonly name: string = "OutcomeUnknownError";
  /** When the request was sent. */
  readonly sentAt: Date;

  /** `subject`: what may have happened ("the payment of order X"); `advice`: what to check first. */
  constructor(
    metadata: CallMetadata,
    sentAt: Date,
    cause: string,
    outcome: { subject: string; advice: string },
    redactor: Redactor,
  ) {
    super(
      metadata,
      `the outcome of ${outcome.subject} is unknown: the request was sent at ${sentAt.toISOString()} and then ${cause}. ` +
        outcome.advice,
      redactor,
    );
    this.sentAt = sentAt;
  }
}

/** An order request whose outcome is unknown: an order may have been placed. */
export class OrderOutcomeUnknownError extends OutcomeUnknownError {
  override readonly name: string = "OrderOutcomeUnknownError";

  constructor(metadata: CallMetadata, sentAt: Date, cause: string, redactor: Redactor) {
    super(
      metadata,
      sentAt,
      cause,
      {
        subject: "the order",
        advice:
          `An order may have been placed. Before running again, look in the Huawei Cloud Billing Center ` +
          `(Orders > My Orders) for an order placed at that time` +
          (metadata.requestId ? ` or ask Huawei support about request id ${metadata.requestId}` : "") +
          `; if one exists, adopt it with the resource input \`adoptOrderId\` (its order id) instead of ordering again.`,
      },
      redactor,
    );
  }
}

/**
 * Huawei Cloud answered 2xx, but not with what its page promises (a field missing or of the wrong
 * type, an answer about another order): nothing in it can be trusted.
 */
export class UnexpectedAnswerError extends HuaweiCloudError {
  override readonly name: string = "UnexpectedAnswerError";
}

function describeCall(m: CallMetadata): string {
  const parts = [`${SERVICES[m.service].title} ${m.operation} failed`];
  const facts: string[] = [];
  if (m.httpStatus !== undefined) facts.push(`HTTP ${m.httpStatus}`);
  if (m.errorCode) facts.push(`error_code ${m.errorCode}`);
  if (m.errorMsg) facts.push(`error_msg "${m.errorMsg}"`);
  facts.push(`X-Request-Id ${m.requestId ?? "(none received)"}`);
  facts.push(`${m.attempts} attempt${m.attempts === 1 ? "" : "s"}`);
  return `${parts[0]} (${facts.join(", ")})`;
}
