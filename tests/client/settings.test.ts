import * as assert from "node:assert/strict";
import {
  checkSettings,
  resolveSettings,
  type ClientSettingsInput,
  type SettingProblem,
} from "../../provider/client";

/** A stack configuration by full key; a map (`huaweicloud:endpoints`) is given as the engine gives it, JSON text. */
const config = (values: Record<string, string>) => (key: string) => values[key];

describe("settings resolution", function () {
  describe("endpoints", function () {
    it("follows Huawei Cloud's <service>.<region>.myhuaweicloud.com pattern by default; BSS is global", function () {
      const s = resolveSettings({ env: { HW_REGION_NAME: "ap-southeast-3", HW_AUTH_TOKEN: "tok-000001" } });
      assert.deepEqual(s.endpoints, {
        iam: "https://iam.ap-southeast-3.myhuaweicloud.com",
        dis: "https://dis.ap-southeast-3.myhuaweicloud.com",
        metastudio: "https://metastudio.ap-southeast-3.myhuaweicloud.com",
        bss: "https://bss.myhuaweicloud.com",
      });
    });

    it("takes the international site's BSS and the account id from the environment", function () {
      const s = resolveSettings({
        env: {
          HW_REGION_NAME: "ap-southeast-1",
          HW_ACCESS_KEY: "AK",
          HW_SECRET_KEY: "SK-000001",
          HUAWEICLOUD_ORDERS_BSS_ENDPOINT: "https://bss-intl.myhuaweicloud.com/",
          HW_DOMAIN_ID: "dddddddddddddddddddddddddddddddd",
        },
      });
      assert.equal(s.endpoints.bss, "https://bss-intl.myhuaweicloud.com");
      assert.equal(s.domainId, "dddddddddddddddddddddddddddddddd");
    });

    it("keeps a domain-scoped token for BSS beside the project-scoped one, and refuses it beside other credentials", function () {
      const s = resolveSettings({
        config: config({ "huaweicloud:token": "tok-project-1" }),
        env: { HW_REGION_NAME: "cn-north-4", HUAWEICLOUD_ORDERS_DOMAIN_AUTH_TOKEN: "tok-domain-1" },
      });
      assert.deepEqual(s.credentials, { kind: "token", token: "tok-project-1", domainToken: "tok-domain-1" });
      assert.throws(
        () =>
          resolveSettings({
            env: {
              HW_REGION_NAME: "cn-north-4",
              HW_ACCESS_KEY: "AK",
              HW_SECRET_KEY: "SK-1",
              HUAWEICLOUD_ORDERS_DOMAIN_AUTH_TOKEN: "tok-domain-1",
            },
          }),
        /HUAWEICLOUD_ORDERS_DOMAIN_AUTH_TOKEN is set, but the credentials in use are AK\/SK/,
      );
    });

    it("takes overrides from provider settings, then stack config, then the environment", function () {
      const s = resolveSettings({
        explicit: { endpoints: { dis: "https://dis.example.test/" } },
        config: config({
          "huaweicloud:endpoints": JSON.stringify({
            dis: "https://ignored.example.test",
            metastudio: "https://ms.example.test",
          }),
        }),
        env: {
          HW_REGION_NAME: "cn-north-4",
          HW_AUTH_TOKEN: "tok-000001",
          HUAWEICLOUD_ORDERS_METASTUDIO_ENDPOINT: "https://ignored-too.example.test",
          HW_AUTH_URL: "https://iam.example.test/v3",
        },
      });
      assert.deepEqual(s.endpoints, {
        iam: "https://iam.example.test",
        dis: "https://dis.example.test",
        metastudio: "https://ms.example.test",
        bss: "https://bss.myhuaweicloud.com",
      });
    });

    it("accepts plain http only on loopback addresses", function () {
      const base = { HW_REGION_NAME: "cn-north-4", HW_AUTH_TOKEN: "tok-000001" };
      for (const url of [
        "http://127.0.0.1:8080",
        "http://localhost:1",
        "http://[::1]:9",
        "http://127.9.9.9",
      ]) {
        assert.equal(
          resolveSettings({ env: { ...base, HUAWEICLOUD_ORDERS_DIS_ENDPOINT: url } }).endpoints.dis,
          url,
        );
      }
      for (const url of ["http://10.0.0.1:8080", "http://dis.example.test", "ftp://127.0.0.1"]) {
        assert.throws(
          () => resolveSettings({ env: { ...base, HUAWEICLOUD_ORDERS_DIS_ENDPOINT: url } }),
          /HUAWEICLOUD_ORDERS_DIS_ENDPOINT must use https:\/\//,
        );
      }
      assert.throws(
        () => resolveSettings({ env: { ...base, HUAWEICLOUD_ORDERS_DIS_ENDPOINT: "not a url" } }),
        /HUAWEICLOUD_ORDERS_DIS_ENDPOINT is not a URL/,
      );
    });
  });

  describe("sites: Huawei's provider's cloud, and the project name", function () {
    const token = { HW_AUTH_TOKEN: "tok-000001" };
    const endpointsOf = (env: Record<string, string>, cfg: Record<string, string> = {}) =>
      resolveSettings({ config: config(cfg), env: { ...token, ...env } }).endpoints;

    it("keeps the China site's endpoints exactly as before", function () {
      assert.deepEqual(endpointsOf({ HW_REGION_NAME: "cn-north-4" }), {
        iam: "https://iam.cn-north-4.myhuaweicloud.com",
        dis: "https://dis.cn-north-4.myhuaweicloud.com",
        metastudio: "https://metastudio.cn-north-4.myhuaweicloud.com",
        bss: "https://bss.myhuaweicloud.com",
      });
    });

    it("puts the Europe site's regions on myhuaweicloud.eu with its BSS host; eu-west-0 stays", function () {
      assert.deepEqual(endpointsOf({ HW_REGION_NAME: "eu-west-101" }), {
        iam: "https://iam.eu-west-101.myhuaweicloud.eu",
        dis: "https://dis.eu-west-101.myhuaweicloud.eu",
        metastudio: "https://metastudio.eu-west-101.myhuaweicloud.eu",
        bss: "https://bss.myhuaweicloud.eu",
      });
      assert.equal(
        endpointsOf({ HW_REGION_NAME: "eu-west-0" }).iam,
        "https://iam.eu-west-0.myhuaweicloud.com",
      );
    });

    it("takes cloud from huaweicloud:cloud, then HW_CLOUD; an endpoints entry wins over it", function () {
      const cfg = { "huaweicloud:cloud": "example.cloud.test", "huaweicloud:region": "cn-north-4" };
      const s = endpointsOf({ HW_CLOUD: "ignored.test" }, cfg);
      assert.equal(s.dis, "https://dis.cn-north-4.example.cloud.test");
      assert.equal(s.bss, "https://bss.example.cloud.test");
      assert.equal(
        endpointsOf({ HW_REGION_NAME: "eu-west-101", HW_CLOUD: "MyHuaweiCloud.com" }).bss,
        "https://bss.myhuaweicloud.com",
      );
      const given = endpointsOf(
        { HW_REGION_NAME: "eu-west-101" },
        { "huaweicloud:endpoints": JSON.stringify({ bss: "https://bss-intl.myhuaweicloud.com" }) },
      );
      assert.equal(given.bss, "https://bss-intl.myhuaweicloud.com", "the international site's BSS, given");
      assert.equal(given.dis, "https://dis.eu-west-101.myhuaweicloud.eu");
      assert.equal(
        resolveSettings({ explicit: { cloud: "conn.test" }, env: { HW_REGION_NAME: "cn-north-4", ...token } })
          .endpoints.iam,
        "https://iam.cn-north-4.conn.test",
      );
    });

    it("refuses a cloud that is not a domain name", function () {
      for (const bad of [
        "https://myhuaweicloud.com",
        "myhuaweicloud.com:443",
        "localhost",
        "a/b.com",
        "x..com",
      ]) {
        assert.match(
          checkSettings({ env: { HW_REGION_NAME: "cn-north-4", HW_CLOUD: bad, ...token } })[0]?.reason ?? "",
          /HW_CLOUD is not a domain name such as myhuaweicloud.com/,
          bad,
        );
      }
    });

    it("reads projectName from huaweicloud:, then HW_PROJECT_NAME; unset, none is carried", function () {
      const env = { HW_REGION_NAME: "cn-north-4", ...token };
      const named = (cfg: Record<string, string>, more: Record<string, string> = {}) =>
        resolveSettings({ config: config(cfg), env: { ...env, ...more } }).projectName;
      assert.equal(
        named({ "huaweicloud:projectName": "cn-north-4_dev" }, { HW_PROJECT_NAME: "x" }),
        "cn-north-4_dev",
      );
      assert.equal(named({}, { HW_PROJECT_NAME: "cn-north-4_ops" }), "cn-north-4_ops");
      assert.equal(named({}), undefined);
      assert.match(
        checkSettings({ env: { ...env, HW_PROJECT_NAME: "a\nb" } })[0]?.reason ?? "",
        /HW_PROJECT_NAME is not an IAM project name/,
      );
    });
  });

  describe("credentials, in the documented order", function () {
    const env = {
      HW_REGION_NAME: "cn-north-4",
      HW_ACCESS_KEY: "AK-ENV",
      HW_SECRET_KEY: "SK-ENV-000001",
      HW_USER_NAME: "env-user",
      HW_USER_PASSWORD: "env-password",
      HW_DOMAIN_NAME: "env-domain",
    };

    it("uses the environment when nothing else is set: a token before AK/SK before a password", function () {
      assert.equal(resolveSettings({ env }).credentials.kind, "aksk");
      assert.equal(
        resolveSettings({ env: { ...env, HW_AUTH_TOKEN: "tok-000001" } }).credentials.kind,
        "token",
      );
      const { HW_ACCESS_KEY: _a, HW_SECRET_KEY: _s, ...passwordOnly } = env;
      assert.deepEqual(resolveSettings({ env: passwordOnly }).credentials, {
        kind: "password",
        userName: "env-user",
        password: "env-password",
        domainName: "env-domain",
      });
    });

    it("lets stack config override the environment, and provider settings override both", function () {
      const fromConfig = resolveSettings({ config: config({ "huaweicloud:token": "tok-config-01" }), env });
      assert.deepEqual(fromConfig.credentials, { kind: "token", token: "tok-config-01" });
      const explicit: ClientSettingsInput = {
        accessKey: "AK-X",
        secretKey: "SK-X-0000001",
        securityToken: "st-0000001",
      };
      const fromExplicit = resolveSettings({
        explicit,
        config: config({ "huaweicloud:token": "tok-config-01" }),
        env,
      });
      assert.deepEqual(fromExplicit.credentials, {
        kind: "aksk",
        accessKey: "AK-X",
        secretKey: "SK-X-0000001",
        securityToken: "st-0000001",
      });
    });

    it("takes the domain for password auth from any layer", function () {
      const s = resolveSettings({
        config: config({ "huaweicloud:userName": "cfg-user", "huaweicloud:password": "cfg-password" }),
        env: { HW_REGION_NAME: "cn-north-4", HW_DOMAIN_NAME: "env-domain" },
      });
      assert.deepEqual(s.credentials, {
        kind: "password",
        userName: "cfg-user",
        password: "cfg-password",
        domainName: "env-domain",
      });
    });

    it("rejects half a credential, naming what is missing", function () {
      assert.throws(
        () => resolveSettings({ env: { HW_REGION_NAME: "cn-north-4", HW_ACCESS_KEY: "AK" } }),
        /HW_ACCESS_KEY is set but HW_SECRET_KEY is not/,
      );
      assert.throws(
        () =>
          resolveSettings({
            config: config({ "huaweicloud:userName": "u" }),
            env: { HW_REGION_NAME: "cn-north-4" },
          }),
        /missing: huaweicloud:password, huaweicloud:domainName/,
      );
    });

    it("explains every way to give credentials when there are none", function () {
      assert.throws(
        () => resolveSettings({ env: { HW_REGION_NAME: "cn-north-4" } }),
        /no Huawei Cloud credentials found.*HW_AUTH_TOKEN.*HW_ACCESS_KEY.*HW_USER_NAME/s,
      );
    });

    it("requires a region", function () {
      assert.throws(
        () => resolveSettings({ env: { HW_AUTH_TOKEN: "tok-000001" } }),
        /huaweicloud:region.*HW_REGION_NAME/,
      );
    });
  });

  describe("retry and timeout settings", function () {
    it("defaults to 5 attempts (maxRetries 4) and reads overrides; Huawei's maxRetries is not this count", function () {
      const base = { HW_REGION_NAME: "cn-north-4", HW_AUTH_TOKEN: "tok-000001" };
      assert.equal(resolveSettings({ env: base }).retry.maxAttempts, 5);
      const s = resolveSettings({
        env: { ...base, HUAWEICLOUD_ORDERS_MAX_RETRIES: "0" },
        explicit: { responseTimeoutSeconds: 5 },
      });
      assert.equal(s.retry.maxAttempts, 1);
      assert.equal(s.timeouts.responseMs, 5000);
      assert.equal(
        resolveSettings({ config: config({ "huaweicloud-orders:maxRetries": "2" }), env: base }).retry
          .maxAttempts,
        3,
      );
      assert.throws(
        () => resolveSettings({ env: { ...base, HUAWEICLOUD_ORDERS_MAX_RETRIES: "lots" } }),
        /HUAWEICLOUD_ORDERS_MAX_RETRIES must be a whole number from 0 to 20, got "lots"/,
      );
      const huaweis = resolveSettings({
        config: config({ "huaweicloud:maxRetries": "lots" }),
        env: { ...base, HW_MAX_RETRIES: "9" },
      });
      assert.equal(
        huaweis.retry.maxAttempts,
        5,
        "huaweicloud:maxRetries and HW_MAX_RETRIES are Huawei's provider's",
      );
    });
  });

  describe("checkSettings: every problem at once, each with its setting and layer, no network", function () {
    const pick = (problems: SettingProblem[]) => problems.map((p) => [p.key, p.layer ?? "none"]);

    it("finds nothing wrong with complete, well-formed settings", function () {
      const env = { HW_REGION_NAME: "cn-north-4", HW_AUTH_TOKEN: "tok-000001", HW_PROJECT_ID: "p1" };
      assert.deepEqual(checkSettings({ env }, { projectInPath: true }), []);
    });

    it("names each malformed setting in the layer it came from", function () {
      const problems = checkSettings({
        explicit: {
          region: "cn north 4!",
          maxRetries: -1,
          colour: "red",
          endpoints: { dis: "https://x.test/?a" },
        },
        config: config({
          "huaweicloud:endpoints": JSON.stringify({ metastudio: "http://dis.example.test" }),
          "huaweicloud-orders:connectTimeoutSeconds": "soon",
        }),
        env: {
          HW_AUTH_URL: "https://iam.example.test#top",
          HUAWEICLOUD_ORDERS_RESPONSE_TIMEOUT_SECONDS: "0",
          HUAWEICLOUD_ORDERS_MAX_RETRY_WAIT_SECONDS: "1.5",
          HW_PROJECT_ID: "../x",
          HW_ACCESS_KEY: "AK-ONLY",
        },
      });
      assert.deepEqual(pick(problems), [
        ["colour", "connection"],
        ["region", "connection"],
        ["authUrl", "environment"],
        ["disEndpoint", "connection"],
        ["metastudioEndpoint", "config"],
        ["maxRetries", "connection"],
        ["maxRetryWaitSeconds", "environment"],
        ["connectTimeoutSeconds", "config"],
        ["responseTimeoutSeconds", "environment"],
        ["projectId", "environment"],
        ["secretKey", "environment"],
      ]);
      const reasons = problems.map((p) => p.reason).join("\n");
      for (const named of [
        "connection.colour is not a setting",
        "connection.region is not a Huawei Cloud region id",
        "HW_AUTH_URL must not carry a query, fragment or user info",
        "connection.endpoints.dis must not carry a query",
        "huaweicloud:endpoints.metastudio must use https://",
        'connection.maxRetries must be a whole number from 0 to 20, got "-1"',
        'HUAWEICLOUD_ORDERS_MAX_RETRY_WAIT_SECONDS must be a whole number from 0 to 3600, got "1.5"',
        'huaweicloud-orders:connectTimeoutSeconds must be a whole number from 1 to 600, got "soon"',
        'HUAWEICLOUD_ORDERS_RESPONSE_TIMEOUT_SECONDS must be a whole number from 1 to 3600, got "0"',
        "HW_PROJECT_ID is not a Huawei Cloud project id",
        "HW_ACCESS_KEY is set but HW_SECRET_KEY is not",
      ]) {
        assert.ok(reasons.includes(named), `${named}\n${reasons}`);
      }
    });

    it("reports a missing region, credential or project id only when they are needed", function () {
      assert.deepEqual(pick(checkSettings({ env: {} })), [
        ["region", "none"],
        ["credentials", "none"],
      ]);
      assert.deepEqual(checkSettings({ env: {} }, { credentials: false }), []);
      const token = { HW_REGION_NAME: "cn-north-4", HW_AUTH_TOKEN: "tok-000001" };
      assert.deepEqual(checkSettings({ env: token }), [], "a DIS order with a token needs no project id");
      assert.deepEqual(pick(checkSettings({ env: token }, { projectInPath: true })), [["projectId", "none"]]);
      const aksk = { HW_REGION_NAME: "cn-north-4", HW_ACCESS_KEY: "AK", HW_SECRET_KEY: "SK-000001" };
      assert.deepEqual(checkSettings({ env: aksk }, { projectInPath: true }), [], "AK/SK looks the id up");
      const password = {
        HW_REGION_NAME: "cn-north-4",
        HW_USER_NAME: "u",
        HW_USER_PASSWORD: "password-01",
        HW_DOMAIN_NAME: "d",
      };
      assert.deepEqual(checkSettings({ env: password }, { projectInPath: true }), [], "IAM scopes the token");
    });

    it("reports half a password credential in its layer, and a connection value of the wrong type", function () {
      const problems = checkSettings({
        explicit: { userName: "u", authUrl: { host: "x" } } as unknown as ClientSettingsInput,
        env: { HW_REGION_NAME: "cn-north-4" },
      });
      assert.deepEqual(pick(problems), [
        ["authUrl", "connection"],
        ["password", "connection"],
      ]);
      assert.match(problems[1]?.reason ?? "", /missing: connection.password, connection.domainName/);
    });

    it("never puts a secret value in a reason", function () {
      const problems = checkSettings({
        explicit: { secretKey: "SK-secret-value-1", password: "password-secret-1" },
        env: { HW_REGION_NAME: "cn-north-4" },
      });
      assert.ok(problems.length > 0);
      for (const p of problems) assert.ok(!/secret-value|password-secret/.test(p.reason), p.reason);
    });
  });
});
