import * as assert from "node:assert/strict";
import { prepareRequest, type CallRequest } from "../../provider/client/call-request";
import {
  callError,
  callMetadata,
  callResult,
  decode,
  describeAttempt,
  succeeded,
  type Decoded,
} from "../../provider/client/decode";
import {
  HuaweiCloudError,
  OrderOutcomeUnknownError,
  OutcomeUnknownError,
} from "../../provider/client/errors";
import { Redactor } from "../../provider/client/redaction";

const url = "http://127.0.0.1:1";
const endpoints = { iam: url, dis: url, metastudio: url, bss: url };
const ORDER: CallRequest = {
  service: "dis",
  operation: "SubmitPackageOrder",
  method: "POST",
  path: ["v2", "orders", "CS1"],
  body: {},
  creates: true,
};
const sentAt = new Date("2026-11-25T08:00:00.000Z");

function answer(status: number, body?: unknown, headers: Record<string, string> = {}): Decoded {
  return decode(
    {
      kind: "response",
      status,
      text: typeof body === "string" ? body : body === undefined ? "" : JSON.stringify(body),
      headers: { "x-request-id": "req-0001", ...headers },
    },
    sentAt,
  );
}

const failed = (kind: "not-sent" | "no-answer", cause: string, final = false): Decoded =>
  decode({ kind: "failure", failure: { kind, cause }, final }, sentAt);

describe("the decode stage", function () {
  describe("one answer", function () {
    it("parses the JSON body and takes the request id; a 2xx answer is the call's result", function () {
      const d = answer(200, { order_id: "CS1" });
      assert.ok(d.kind === "answer" && succeeded(d));
      assert.deepEqual(d.body, { order_id: "CS1" });
      assert.deepEqual(callResult(d, 3), {
        status: 200,
        body: { order_id: "CS1" },
        headers: { "x-request-id": "req-0001" },
        requestId: "req-0001",
        attempts: 3,
        sentAt,
      });
      assert.equal(succeeded(answer(204)), true);
      assert.equal(succeeded(answer(301)), false);
    });

    it("an empty body or one that is not JSON decodes to undefined, its text kept as the error message", function () {
      const empty = answer(204);
      assert.ok(empty.kind === "answer");
      assert.equal(empty.body, undefined);
      assert.deepEqual(empty.error, {});
      const html = answer(502, `<html>${"x".repeat(400)}</html>`);
      assert.ok(html.kind === "answer");
      assert.equal(html.body, undefined);
      assert.equal(html.error.errorMsg, `<html>${"x".repeat(294)}`, "the first 300 characters");
    });

    it("reads Huawei's error fields in both shapes: {error_code, error_msg} and IAM's {error: {code, message}}", function () {
      const service = answer(400, { error_code: "CBC.0100", error_msg: "bad period" });
      assert.ok(service.kind === "answer");
      assert.deepEqual(service.error, { errorCode: "CBC.0100", errorMsg: "bad period" });
      const iam = answer(401, { error: { code: 401, message: "The username or password is wrong." } });
      assert.ok(iam.kind === "answer");
      assert.deepEqual(iam.error, { errorCode: "401", errorMsg: "The username or password is wrong." });
    });

    it("tells throttling: HTTP 429, or an API Gateway throttling code on any status", function () {
      const throttled = (d: Decoded) => d.kind === "answer" && d.throttled;
      assert.equal(throttled(answer(429)), true);
      assert.equal(throttled(answer(403, { error_code: "APIGW.0308", error_msg: "throttled" })), true);
      assert.equal(throttled(answer(403, { error_code: "APIGW.0301", error_msg: "denied" })), false);
      assert.equal(throttled(answer(500)), false);
    });

    it("passes a transport failure through, with when it was sent", function () {
      assert.deepEqual(failed("no-answer", "ECONNRESET: socket hang up"), {
        kind: "failure",
        failure: { kind: "no-answer", cause: "ECONNRESET: socket hang up" },
        final: false,
        sentAt,
      });
    });

    it("logs one line per attempt", function () {
      const p = prepareRequest({ ...ORDER, query: { a: 1 } }, endpoints);
      assert.equal(
        describeAttempt(p, answer(200)),
        `POST ${url}/v2/orders/CS1?a=1 -> HTTP 200 (X-Request-Id req-0001)`,
      );
      assert.equal(
        describeAttempt(p, decode({ kind: "response", status: 500, text: "", headers: {} }, sentAt)),
        `POST ${url}/v2/orders/CS1?a=1 -> HTTP 500 (X-Request-Id none)`,
      );
      assert.equal(
        describeAttempt(p, failed("not-sent", "ECONNREFUSED: x")),
        `POST ${url}/v2/orders/CS1?a=1 -> ECONNREFUSED: x`,
      );
    });
  });

  describe("the error a call ends with", function () {
    const redactor = new Redactor().add("secret-in-answer");
    const order = prepareRequest(ORDER, endpoints);

    it("names the call, the status, Huawei's fields, the request id and the attempts", function () {
      const d = answer(400, { error_code: "MSS.00000003", error_msg: "Invalid parameter: period_num" });
      assert.deepEqual(callMetadata(order, d, 2), {
        service: "dis",
        operation: "SubmitPackageOrder",
        attempts: 2,
        httpStatus: 400,
        requestId: "req-0001",
        errorCode: "MSS.00000003",
        errorMsg: "Invalid parameter: period_num",
      });
      const err = callError(order, d, "fail", 1, redactor);
      assert.ok(err instanceof HuaweiCloudError && !(err instanceof OutcomeUnknownError));
      assert.equal(
        err.message,
        'DIS SubmitPackageOrder failed (HTTP 400, error_code MSS.00000003, error_msg "Invalid parameter: period_num", ' +
          "X-Request-Id req-0001, 1 attempt): the request was rejected and no order was placed; " +
          "correct the inputs named above and run again",
      );
    });

    it("advises by status: 401 checks the credentials, 403 names the permission, 429 the wait allowed", function () {
      const bss = prepareRequest(
        { ...ORDER, service: "bss", permission: "bss:order:pay", notDone: "Order X was not paid" },
        endpoints,
      );
      const unauthorized = callError(bss, answer(401), "fail", 1, redactor).message;
      assert.match(unauthorized, /the credentials were not accepted; check them .* Order X was not paid\./);
      assert.match(
        unauthorized,
        /BSS is a global service: .*huaweicloud-orders:domainAuthToken \(HUAWEICLOUD_ORDERS_DOMAIN_AUTH_TOKEN\)/,
      );
      assert.match(
        callError(bss, answer(403), "fail", 1, redactor).message,
        /grant the IAM user the permission bss:order:pay\. Order X was not paid\./,
      );
      assert.match(
        callError(order, answer(429), "fail", 9, redactor).message,
        /still throttled after waiting as long as allowed \(huaweicloud-orders:maxRetryWaitSeconds\); no order was placed\./,
      );
      assert.doesNotMatch(callError(order, answer(401), "fail", 1, redactor).message, /global service/);
      const read = prepareRequest({ ...ORDER, creates: false }, endpoints);
      assert.match(callError(read, answer(404), "fail", 1, redactor).message, /: the request was rejected$/);
    });

    it("an order that may have been placed is an OrderOutcomeUnknownError saying when it was sent", function () {
      const err = callError(
        order,
        answer(500, { error_code: "X", error_msg: "secret-in-answer" }),
        "outcome-unknown",
        1,
        redactor,
      );
      assert.ok(err instanceof OrderOutcomeUnknownError);
      assert.equal(err.sentAt, sentAt);
      assert.match(
        err.message,
        /the outcome of the order is unknown: the request was sent at 2026-11-25T08:00:00.000Z and then the server answered HTTP 500/,
      );
      assert.match(err.message, /Billing Center .* request id req-0001/);
      assert.ok(!err.message.includes("secret-in-answer") && err.metadata.errorMsg === "[redacted]");
      const dropped = callError(
        order,
        failed("no-answer", "ECONNRESET: socket hang up"),
        "outcome-unknown",
        1,
        redactor,
      );
      assert.ok(dropped instanceof OrderOutcomeUnknownError);
      assert.match(dropped.message, /and then ECONNRESET: socket hang up\./);
    });

    it("another request that may have acted names what may have happened instead of an order", function () {
      const pay = prepareRequest(
        { ...ORDER, ifUnknown: { subject: "the payment of order X", advice: "Read the order first." } },
        endpoints,
      );
      const err = callError(pay, answer(502), "outcome-unknown", 1, redactor);
      assert.ok(err instanceof OutcomeUnknownError && !(err instanceof OrderOutcomeUnknownError));
      assert.match(
        err.message,
        /the outcome of the payment of order X is unknown: .* HTTP 502\. Read the order first\.$/,
      );
    });

    it("a failure without an answer gives up naming the endpoint, or only its cause when it was final", function () {
      const gaveUp = callError(
        order,
        failed("not-sent", "ECONNREFUSED: connect refused"),
        "fail",
        4,
        redactor,
      );
      assert.equal(
        gaveUp.message,
        "DIS SubmitPackageOrder failed (X-Request-Id (none received), 4 attempts): ECONNREFUSED: connect refused; " +
          `gave up after 4 attempts. No order was placed: check the endpoint (${url}) and the network, then run again`,
      );
      const tls = callError(
        order,
        failed("not-sent", "TLS verification failed (x)", true),
        "fail",
        1,
        redactor,
      );
      assert.equal(
        tls.message,
        "DIS SubmitPackageOrder failed (X-Request-Id (none received), 1 attempt): TLS verification failed (x)",
      );
    });
  });
});
