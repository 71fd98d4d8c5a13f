import * as assert from "node:assert/strict";
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import type { ICredential } from "@huaweicloud/huaweicloud-sdk-core/auth/ICredential";
import type { IHttpRequest } from "@huaweicloud/huaweicloud-sdk-core/http/IHttpRequest";
import { signRequest, sdkDate } from "../../provider/client/signer";

const key = { accessKey: "HPUAEXAMPLEACCESSKEY", secretKey: "example-secret-key-0123456789abcdef" };
const officialCredential = {
  getAk: () => key.accessKey,
  getSk: () => key.secretKey,
} as unknown as ICredential;
const date = "20261125T040506Z";

interface Case {
  name: string;
  method: string;
  url: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: Record<string, unknown>;
}

// Every case runs through both signers with the same inputs; the Authorization values must match.
const cases: Case[] = [
  {
    name: "a plain POST with a JSON body",
    method: "POST",
    url: "https://dis.cn-north-4.myhuaweicloud.com/v2/orders/CS2511071586MU",
    body: { purchaseMode: 1 },
  },
  {
    name: "an empty body",
    method: "POST",
    url: "https://metastudio.cn-north-4.myhuaweicloud.com/v1/p1/mss/public/orders",
  },
  { name: "a GET with no body", method: "GET", url: "https://iam.cn-north-4.myhuaweicloud.com/v3/projects" },
  { name: "a trailing slash", method: "GET", url: "https://example.com/v1/things/" },
  { name: "the root path", method: "GET", url: "https://example.com" },
  {
    name: "reserved characters in query keys and values",
    method: "GET",
    url: "https://example.com/v1/q",
    query: { "a b": "c&d=e", "k/+": "v?#", "~._-": "!*'()" },
  },
  {
    name: "a repeated query key with unsorted values",
    method: "GET",
    url: "https://example.com/v1/q",
    query: { tag: ["zeta", "alpha", "mu"], a: "1" },
  },
  { name: "an empty query value", method: "GET", url: "https://example.com/v1/q", query: { flag: "" } },
  { name: "a non-ASCII path", method: "GET", url: "https://example.com/v1/项目/订单" },
  { name: "non-ASCII query", method: "GET", url: "https://example.com/v1/q", query: { 名前: "値 ü" } },
  { name: "an already percent-encoded path", method: "GET", url: "https://example.com/v1/a%20b/%E4%B8%AD" },
  { name: "a non-default port", method: "POST", url: "http://127.0.0.1:18080/v2/orders/X1", body: { a: 1 } },
  {
    name: "nested JSON with unicode",
    method: "POST",
    url: "https://example.com/v1/p/mss/public/orders",
    body: { cloud_services: [{ resource_spec_code: "规格", period_num: 1 }] },
  },
  {
    name: "extra signed headers",
    method: "POST",
    url: "https://example.com/v1/p/mss/public/orders",
    headers: {
      "Content-Type": "application/json;charset=UTF-8",
      "X-Project-Id": "0123456789abcdef0123456789abcdef",
      "X-Security-Token": "temporary-token-value",
      "X-Custom-Header": "v 1",
    },
    body: { x: true },
  },
  {
    name: "lower-case header names",
    method: "POST",
    url: "https://example.com/v1/x",
    headers: { "content-type": "application/json", "x-project-id": "abc" },
    body: {},
  },
];

describe("the AK/SK signer produces the same Authorization as Huawei's official Node SDK signer", function () {
  for (const c of cases) {
    it(c.name, function () {
      const headers = { ...(c.headers ?? {}), "X-Sdk-Date": date };
      const body = c.body === undefined ? "" : JSON.stringify(c.body);
      const ours = signRequest(
        { method: c.method, url: c.url, query: c.query ?? {}, headers, body },
        key,
        new Date(),
      );
      const officialRequest = {
        endpoint: c.url,
        method: c.method,
        headers: { ...headers },
        queryParams: structuredClone(c.query ?? {}),
        data: c.body,
      } as unknown as IHttpRequest;
      const official = AKSKSigner.sign(officialRequest, officialCredential) as Record<string, string>;
      assert.ok(
        ours["Authorization"]?.startsWith("SDK-HMAC-SHA256 Access=HPUAEXAMPLEACCESSKEY, SignedHeaders="),
      );
      assert.equal(ours["Authorization"], official["Authorization"]);
      assert.equal(ours["host"], official["host"]);
    });
  }

  it("signs a lower-case method as the upper-case one that goes on the wire", function () {
    const headers = { "X-Sdk-Date": date };
    const ours = signRequest(
      { method: "post", url: "https://example.com/v1/x", headers, body: "{}" },
      key,
      new Date(),
    );
    const official = AKSKSigner.sign(
      {
        endpoint: "https://example.com/v1/x",
        method: "POST",
        headers: { ...headers },
        queryParams: {},
        data: {},
      } as unknown as IHttpRequest,
      officialCredential,
    ) as Record<string, string>;
    assert.equal(ours["Authorization"], official["Authorization"]);
  });

  it("adds X-Sdk-Date from the clock when the request has none", function () {
    const at = new Date(Date.UTC(2026, 10, 25, 4, 5, 6));
    const ours = signRequest({ method: "GET", url: "https://example.com/", headers: {}, body: "" }, key, at);
    assert.equal(ours["X-Sdk-Date"], "20261125T040506Z");
    assert.equal(sdkDate(at), "20261125T040506Z");
  });

  it("changes the signature when the body changes by one byte", function () {
    const base = { method: "POST", url: "https://example.com/v1/x", headers: { "X-Sdk-Date": date } };
    const a = signRequest({ ...base, body: '{"a":1}' }, key, new Date());
    const b = signRequest({ ...base, body: '{"a":2}' }, key, new Date());
    assert.notEqual(a["Authorization"], b["Authorization"]);
  });
});
