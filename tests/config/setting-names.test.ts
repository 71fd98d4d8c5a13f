import * as assert from "node:assert/strict";
import { checkSettings, oldNamesInUse, resolveSettings, type SettingProblem } from "../../provider/client";

// The client's settings under Huawei's provider's names (`huaweicloud:token`, the `endpoints`
// map), this package's own namespace and variables, and the previous release's names.
const config = (values: Record<string, string>) => (key: string) => values[key];
const base = { HW_REGION_NAME: "cn-north-4", HW_AUTH_TOKEN: "tok-000001" };
const reasons = (problems: SettingProblem[]) => problems.map((p) => p.reason);

describe("setting names: shared with Huawei's provider, this package's own, and the previous release's", function () {
  it("reads the endpoints map's iam, dis, metastudio and bss entries and leaves the others to Huawei's provider", function () {
    const s = resolveSettings({
      config: config({
        "huaweicloud:region": "cn-north-4",
        "huaweicloud:token": "tok-000001",
        "huaweicloud:endpoints": JSON.stringify({
          iam: "https://iam.example.test/v3/",
          dis: "https://dis.example.test/",
          metastudio: "http://127.0.0.1:9",
          bss: "https://bss-intl.myhuaweicloud.com",
          ecs: "not even a URL",
        }),
      }),
    });
    assert.deepEqual(s.endpoints, {
      iam: "https://iam.example.test",
      dis: "https://dis.example.test",
      metastudio: "http://127.0.0.1:9",
      bss: "https://bss-intl.myhuaweicloud.com",
    });
    const both = resolveSettings({
      config: config({
        "huaweicloud:authUrl": "https://iam-auth.example.test/v3",
        "huaweicloud:endpoints": JSON.stringify({ iam: "https://iam.example.test" }),
      }),
      env: base,
    });
    assert.equal(both.endpoints.iam, "https://iam-auth.example.test", "authUrl comes before endpoints.iam");
  });

  it("reads Huawei's projectName and cloud from huaweicloud:, then HW_PROJECT_NAME and HW_CLOUD", function () {
    const shared = resolveSettings({
      config: config({
        "huaweicloud:projectName": "eu-west-101_dev",
        "huaweicloud:cloud": "myhuaweicloud.eu",
      }),
      env: { ...base, HW_PROJECT_NAME: "ignored", HW_CLOUD: "ignored.test" },
    });
    assert.equal(shared.projectName, "eu-west-101_dev");
    assert.equal(shared.endpoints.dis, "https://dis.cn-north-4.myhuaweicloud.eu");
    const env = resolveSettings({
      env: { ...base, HW_PROJECT_NAME: "cn-north-4_ops", HW_CLOUD: "example.test" },
    });
    assert.equal(env.projectName, "cn-north-4_ops");
    assert.equal(env.endpoints.bss, "https://bss.example.test");
    assert.deepEqual(
      oldNamesInUse({ config: config({ "huaweicloud:cloud": "example.test" }), env: base }),
      [],
    );
  });

  it("refuses an endpoints entry that is not https (http only on loopback), naming huaweicloud:endpoints.<service>", function () {
    for (const [service, url, named] of [
      ["dis", "http://dis.example.test", "huaweicloud:endpoints.dis must use https://"],
      ["bss", "https://bss.example.test/?x", "huaweicloud:endpoints.bss must not carry a query"],
      ["metastudio", "metastudio.example.test", "huaweicloud:endpoints.metastudio is not a URL"],
      ["iam", "http://10.0.0.1", "huaweicloud:endpoints.iam must use https://"],
    ]) {
      const problems = checkSettings({
        config: config({ "huaweicloud:endpoints": JSON.stringify({ [service as string]: url }) }),
        env: base,
      });
      assert.equal(problems.length, 1, `${service}: ${reasons(problems).join("; ")}`);
      assert.ok(problems[0]?.reason.startsWith(named as string), problems[0]?.reason);
      assert.equal(problems[0]?.layer, "config");
    }
    assert.deepEqual(
      reasons(
        checkSettings({ config: config({ "huaweicloud:endpoints": "https://dis.example.test" }), env: base }),
      ),
      [
        "huaweicloud:endpoints must be a map of service name to URL, as Huawei's provider reads it " +
          "(pulumi config set --path 'huaweicloud:endpoints.dis' https://dis.cn-north-4.myhuaweicloud.com)",
      ],
    );
    assert.deepEqual(
      checkSettings({ explicit: { endpoints: { dis: "http://dis.example.test" } }, env: base }).map((p) => [
        p.at,
        p.reason.split(" (")[0],
      ]),
      [["endpoints.dis", "connection.endpoints.dis must use https://"]],
    );
    assert.deepEqual(
      checkSettings({ explicit: { endpoints: "https://x.test" } as never, env: base }).map((p) => p.reason),
      ["connection.endpoints must be a map of service name to URL, as Huawei's provider's endpoints"],
    );
  });

  it("still reads each previous name, in every layer, and lists it with its new name", function () {
    const s = resolveSettings({
      explicit: { disEndpoint: "https://dis-connection.example.test" },
      config: config({
        "huaweicloud:region": "cn-north-4",
        "huaweicloud:authToken": "tok-old-config",
        "huaweicloud:metastudioEndpoint": "https://ms-config.example.test",
        "huaweicloud:maxRetryWaitSeconds": "7",
      }),
      env: { HW_BSS_ENDPOINT: "https://bss-env.example.test", HW_DOMAIN_AUTH_TOKEN: "tok-old-domain" },
    });
    assert.deepEqual(s.credentials, {
      kind: "token",
      token: "tok-old-config",
      domainToken: "tok-old-domain",
    });
    assert.equal(s.endpoints.dis, "https://dis-connection.example.test");
    assert.equal(s.endpoints.metastudio, "https://ms-config.example.test");
    assert.equal(s.endpoints.bss, "https://bss-env.example.test");
    assert.equal(s.retry.maxWaitMs, 7000);
    assert.deepEqual(
      oldNamesInUse({
        explicit: { authToken: "t", bssEndpoint: "https://b.test" },
        config: config({ "huaweicloud:connectTimeoutSeconds": "5", "huaweicloud:token": "t" }),
        env: { HW_RESPONSE_TIMEOUT_SECONDS: "9", HW_MAX_RETRIES: "3" },
      }).map((o) => `${o.old} -> ${o.now}`),
      [
        "connection.authToken -> connection.token",
        "connection.bssEndpoint -> connection.endpoints.bss",
        "huaweicloud:connectTimeoutSeconds -> huaweicloud-orders:connectTimeoutSeconds",
        "HW_RESPONSE_TIMEOUT_SECONDS -> HUAWEICLOUD_ORDERS_RESPONSE_TIMEOUT_SECONDS",
      ],
    );
  });

  it("an old and a new name both set to different values fail, naming both; the same value is only the old name", function () {
    const problems = checkSettings({
      explicit: { token: "tok-a", authToken: "tok-b" },
      config: config({
        "huaweicloud:endpoints": JSON.stringify({ dis: "https://dis-a.example.test" }),
        "huaweicloud:disEndpoint": "https://dis-b.example.test",
        "huaweicloud-orders:maxRetryWaitSeconds": "5",
        "huaweicloud:maxRetryWaitSeconds": "5",
      }),
      env: {
        ...base,
        HUAWEICLOUD_ORDERS_CONNECT_TIMEOUT_SECONDS: "3",
        HW_CONNECT_TIMEOUT_SECONDS: "4",
      },
    });
    assert.deepEqual(reasons(problems), [
      "connection.authToken (the previous release's name) and connection.token are both set, to different values: " +
        "keep connection.token and remove connection.authToken",
      "huaweicloud:disEndpoint (the previous release's name) and huaweicloud:endpoints.dis are both set, to different values: " +
        "keep huaweicloud:endpoints.dis and remove huaweicloud:disEndpoint",
      "HW_CONNECT_TIMEOUT_SECONDS (the previous release's name) and HUAWEICLOUD_ORDERS_CONNECT_TIMEOUT_SECONDS are both set, " +
        "to different values: keep HUAWEICLOUD_ORDERS_CONNECT_TIMEOUT_SECONDS and remove HW_CONNECT_TIMEOUT_SECONDS",
    ]);
    assert.deepEqual(problems[0] && [problems[0].key, problems[0].layer, problems[0].at], [
      "token",
      "connection",
      "authToken",
    ]);
  });

  it("this package's retry count is its own: Huawei's huaweicloud:maxRetries and HW_MAX_RETRIES are not read", function () {
    const s = resolveSettings({
      config: config({ "huaweicloud:maxRetries": "0", "huaweicloud-orders:connectTimeoutSeconds": "3" }),
      env: { ...base, HW_MAX_RETRIES: "1", HUAWEICLOUD_ORDERS_MAX_RETRIES: "2" },
    });
    assert.equal(s.retry.maxAttempts, 3);
    assert.equal(s.timeouts.connectMs, 3000);
  });

  it("names the new keys where it explains: no credentials, a domain token beside AK/SK", function () {
    const none = reasons(checkSettings({ env: { HW_REGION_NAME: "cn-north-4" } })).join();
    assert.match(none, /Set one of: huaweicloud:token \(or HW_AUTH_TOKEN\); huaweicloud:accessKey/);
    assert.doesNotMatch(none, /authToken/);
    const aksk = {
      ...base,
      HW_AUTH_TOKEN: "",
      HW_ACCESS_KEY: "AK",
      HW_SECRET_KEY: "SK-000001",
      HW_PROJECT_ID: "p1",
    };
    assert.match(
      reasons(
        checkSettings({ config: config({ "huaweicloud-orders:domainAuthToken": "d" }), env: aksk }),
      ).join(),
      /^huaweicloud-orders:domainAuthToken is set, but the credentials in use are AK\/SK/,
    );
  });
});
