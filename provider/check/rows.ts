// One probe's outcome, a row of the check's table, and how a probe's failure becomes one.
import { HuaweiCloudError, SERVICES, UnexpectedAnswerError, type Redactor } from "../client";
import { fixFor, type FixContext } from "./fixes";

export type Result = "ok" | "failed" | "skipped";

export interface Row {
  probe: string;
  result: Result;
  detail: string;
  /** The permission or setting to fix; "" when nothing is to be done. */
  fix: string;
}

/** Runs `run` as the probe `probe`: its text is the ok row's detail; a throw is a failed row. */
export async function probeRow(
  probe: string,
  ctx: FixContext,
  redactor: Redactor,
  run: () => Promise<string>,
): Promise<Row> {
  try {
    return { probe, result: "ok", detail: redactor.text(await run()), fix: "" };
  } catch (err) {
    return { probe, result: "failed", detail: redactor.text(describeError(err)), fix: fixFor(err, ctx) };
  }
}

/** A call's failure in one line: the API, the status, Huawei's error code and message, the request id. */
export function describeError(err: unknown): string {
  if (!(err instanceof HuaweiCloudError)) return err instanceof Error ? err.message : String(err);
  const m = err.metadata;
  if (m.httpStatus === undefined || m.httpStatus < 300 || err instanceof UnexpectedAnswerError) {
    return err.message;
  }
  const facts = [`HTTP ${m.httpStatus}`];
  // IAM's errors carry the status as their code.
  if (m.errorCode && m.errorCode !== String(m.httpStatus)) facts.push(m.errorCode);
  if (m.errorMsg) facts.push(`"${m.errorMsg}"`);
  facts.push(`X-Request-Id ${m.requestId ?? "(none)"}`);
  return `${SERVICES[m.service].title} ${m.operation} refused: ${facts.join(", ")}`;
}

export function skipped(probe: string, why: string): Row {
  return { probe, result: "skipped", detail: why, fix: "" };
}
