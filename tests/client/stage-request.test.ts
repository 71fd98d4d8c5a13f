import * as assert from "node:assert/strict";
import { prepareRequest, type CallRequest } from "../../provider/client/call-request";

const endpoints = {
  iam: "https://iam.cn-north-4.myhuaweicloud.com",
  dis: "https://dis.cn-north-4.myhuaweicloud.com",
  metastudio: "https://metastudio.cn-north-4.myhuaweicloud.com",
  bss: "https://bss.myhuaweicloud.com/base",
};

const read: CallRequest = {
  service: "bss",
  operation: "ListCustomerOrders",
  method: "GET",
  path: ["v2", "orders", "customer-orders"],
  creates: false,
};

describe("the request stage", function () {
  it("builds the URL from the service's endpoint and the path segments, each percent-encoded", function () {
    const p = prepareRequest({ ...read, path: ["v2", "orders", "CS 1/ü*"] }, endpoints);
    assert.equal(p.endpoint, "https://bss.myhuaweicloud.com/base");
    assert.equal(p.url, "https://bss.myhuaweicloud.com/base/v2/orders/CS%201%2F%C3%BC%2A");
    assert.equal(p.target, p.url, "no query, no question mark");
  });

  it("leaves out undefined query parameters, stringifies numbers and encodes keys and values (RFC 3986)", function () {
    const p = prepareRequest(
      {
        ...read,
        query: { limit: 100, order_id: undefined, create_time_begin: "2026-01-01T00:00:00Z", "a b": "x!y" },
      },
      endpoints,
    );
    assert.deepEqual(p.query, { limit: "100", create_time_begin: "2026-01-01T00:00:00Z", "a b": "x!y" });
    assert.equal(
      p.target,
      `${p.url}?limit=100&create_time_begin=2026-01-01T00%3A00%3A00Z&a%20b=x%21y`,
      "the query in the caller's order, as signed",
    );
  });

  it("sends the body as its exact JSON text, and no body as the empty string", function () {
    const body = { order_id: "CS1", n: 1, text: "ü" };
    assert.equal(prepareRequest({ ...read, method: "POST", body }, endpoints).body, JSON.stringify(body));
    assert.equal(prepareRequest(read, endpoints).body, "");
  });

  it("takes the service's credential scope unless the request names one", function () {
    assert.equal(prepareRequest(read, endpoints).scope, "domain");
    assert.equal(prepareRequest({ ...read, service: "dis" }, endpoints).scope, "project");
    assert.equal(prepareRequest({ ...read, service: "iam" }, endpoints).scope, "none");
    assert.equal(prepareRequest({ ...read, service: "iam", scope: "account" }, endpoints).scope, "account");
  });

  it("refuses an empty, '.' or '..' path segment, which URL parsing would drop or fold", function () {
    for (const segment of ["", ".", ".."]) {
      assert.throws(
        () => prepareRequest({ ...read, path: ["v2", segment, "x"] }, endpoints),
        new RegExp(
          `refusing to build a request path with the segment ${JSON.stringify(segment).replace(/\./g, "\\.")}`,
        ),
      );
    }
  });

  it("keeps the caller's request for the stages after it", function () {
    const request = { ...read, notDone: "Nothing was changed" };
    assert.equal(prepareRequest(request, endpoints).request, request);
  });
});
