import * as assert from "node:assert/strict";
import {
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  parseAuthorization,
  parseSdkDate,
  sha256Hex,
  stringToSign,
  verifySignature,
} from "../../emulator/signature";

// The worked example of Huawei's API Request Signing Guide ("AK/SK Signing and Authentication
// Algorithm"): its hashed canonical request and its signature are published there.
const guide = {
  request: {
    method: "GET",
    rawPath: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
    rawQuery: "marker=13551d6b-755d-4757-b956-536f674975c0&limit=2",
    headers: {
      "content-type": "application/json",
      host: "service.region.example.com",
      "x-sdk-date": "20191115T033655Z",
    },
    body: Buffer.alloc(0),
  },
  signedHeaders: ["content-type", "host", "x-sdk-date"],
  hashedCanonicalRequest: "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
  secretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
  authorization:
    "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, " +
    "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
};

describe("the emulator's AK/SK signature check (SDK-HMAC-SHA256)", function () {
  describe("against the signing guide's worked example", function () {
    it("builds the canonical request whose hash the guide publishes", function () {
      const canonical = canonicalRequest(guide.request, guide.signedHeaders);
      assert.equal(typeof canonical, "string");
      assert.equal(sha256Hex(canonical as string), guide.hashedCanonicalRequest);
    });

    it("accepts the guide's signature and rejects it with another secret key", function () {
      const auth = parseAuthorization(guide.authorization);
      assert.ok(typeof auth !== "string");
      assert.deepEqual(verifySignature(guide.request, auth, "20191115T033655Z", guide.secretKey), {
        ok: true,
      });
      assert.deepEqual(verifySignature(guide.request, auth, "20191115T033655Z", "another-secret"), {
        ok: false,
        reason: "verify aksk signature fail",
      });
    });

    it("signs the string the guide shows", function () {
      const canonical = canonicalRequest(guide.request, guide.signedHeaders) as string;
      assert.equal(
        stringToSign("20191115T033655Z", canonical),
        `SDK-HMAC-SHA256\n20191115T033655Z\n${guide.hashedCanonicalRequest}`,
      );
    });
  });

  describe("canonical URI", function () {
    it("always ends with a slash", function () {
      assert.equal(canonicalUri("/v2/orders/CS1"), "/v2/orders/CS1/");
      assert.equal(canonicalUri("/v2/orders/CS1/"), "/v2/orders/CS1/");
      assert.equal(canonicalUri("/"), "/");
    });

    it("encodes each segment with RFC 3986, without encoding an escape twice", function () {
      assert.equal(canonicalUri("/a b/c%20d/~e_f.g-h"), "/a%20b/c%20d/~e_f.g-h/");
      assert.equal(canonicalUri("/caf%C3%A9"), "/caf%C3%A9/");
    });
  });

  describe("canonical query string", function () {
    it("sorts parameters by name and repeated parameters by value", function () {
      assert.equal(canonicalQueryString("b=2&a=z&a=y&c="), "a=y&a=z&b=2&c=");
    });

    it("keeps '=' for a parameter without a value and drops empty pieces", function () {
      assert.equal(canonicalQueryString("flag&&x=1"), "flag=&x=1");
    });

    it("encodes everything but A-Z a-z 0-9 - _ . ~", function () {
      assert.equal(canonicalQueryString("k=a%20b!*'()"), "k=a%20b%21%2A%27%28%29");
    });

    it("is empty without a query", function () {
      assert.equal(canonicalQueryString(""), "");
    });
  });

  describe("the Authorization header", function () {
    it("holds Access, SignedHeaders and Signature after the algorithm name", function () {
      assert.deepEqual(parseAuthorization(guide.authorization), {
        accessKey: "QTWAOYTTINDUT2QVKYUC",
        signedHeaders: ["content-type", "host", "x-sdk-date"],
        signature: "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
      });
    });

    const malformed: [string, string][] = [
      ["another algorithm", "AWS4-HMAC-SHA256 Access=A, SignedHeaders=host, Signature=" + "0".repeat(64)],
      ["no signature", "SDK-HMAC-SHA256 Access=A, SignedHeaders=host"],
      ["a short signature", "SDK-HMAC-SHA256 Access=A, SignedHeaders=host, Signature=abc"],
      ["a field without a value", "SDK-HMAC-SHA256 Access, SignedHeaders=host, Signature=" + "0".repeat(64)],
    ];
    for (const [name, value] of malformed) {
      it(`is refused with ${name}`, function () {
        assert.equal(typeof parseAuthorization(value), "string");
      });
    }
  });

  describe("X-Sdk-Date", function () {
    it("is YYYYMMDDTHHMMSSZ in UTC", function () {
      assert.equal(parseSdkDate("20191115T033655Z"), Date.UTC(2019, 10, 15, 3, 36, 55));
    });

    for (const value of ["2019-11-15T03:36:55Z", "20191115T033655", "20191131T000000Z", "20191115T246000Z"]) {
      it(`rejects ${value}`, function () {
        assert.equal(parseSdkDate(value), undefined);
      });
    }
  });

  it("refuses a signature that does not cover X-Sdk-Date", function () {
    const auth = parseAuthorization(
      "SDK-HMAC-SHA256 Access=A, SignedHeaders=content-type;host, Signature=" + "0".repeat(64),
    );
    assert.ok(typeof auth !== "string");
    assert.deepEqual(verifySignature(guide.request, auth, "20191115T033655Z", guide.secretKey), {
      ok: false,
      reason: "x-sdk-date must be one of the signed headers",
    });
  });

  it("refuses a signature over a header the request does not carry", function () {
    const auth = parseAuthorization(
      "SDK-HMAC-SHA256 Access=A, SignedHeaders=host;x-project-id;x-sdk-date, Signature=" + "0".repeat(64),
    );
    assert.ok(typeof auth !== "string");
    assert.deepEqual(verifySignature(guide.request, auth, "20191115T033655Z", guide.secretKey), {
      ok: false,
      reason: "the signed header x-project-id is not in the request",
    });
  });
});
