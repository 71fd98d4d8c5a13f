import * as assert from "node:assert/strict";
import { resolveSettings, type ClientSettingsInput, type SettingName } from "../../provider/client";

const config = (values: Partial<Record<SettingName, string>>) => (name: SettingName) => values[name];

describe("settings resolution", function () {
  describe("endpoints", function () {
    it("follows Huawei Cloud's <service>.<region>.myhuaweicloud.com pattern by default", function () {
      const s = resolveSettings({ env: { HW_REGION_NAME: "ap-southeast-3", HW_AUTH_TOKEN: "tok-000001" } });
      assert.deepEqual(s.endpoints, {
        iam: "https://iam.ap-southeast-3.myhuaweicloud.com",
        dis: "https://dis.ap-southeast-3.myhuaweicloud.com",
        metastudio: "https://metastudio.ap-southeast-3.myhuaweicloud.com",
      });
    });

    it("takes overrides from provider settings, then stack config, then the environment", function () {
      const s = resolveSettings({
        explicit: { disEndpoint: "https://dis.example.test/" },
        config: config({
          disEndpoint: "https://ignored.example.test",
          metastudioEndpoint: "https://ms.example.test",
        }),
        env: {
          HW_REGION_NAME: "cn-north-4",
          HW_AUTH_TOKEN: "tok-000001",
          HW_METASTUDIO_ENDPOINT: "https://ignored-too.example.test",
          HW_AUTH_URL: "https://iam.example.test/v3",
        },
      });
      assert.deepEqual(s.endpoints, {
        iam: "https://iam.example.test",
        dis: "https://dis.example.test",
        metastudio: "https://ms.example.test",
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
        assert.equal(resolveSettings({ env: { ...base, HW_DIS_ENDPOINT: url } }).endpoints.dis, url);
      }
      for (const url of ["http://10.0.0.1:8080", "http://dis.example.test", "ftp://127.0.0.1"]) {
        assert.throws(
          () => resolveSettings({ env: { ...base, HW_DIS_ENDPOINT: url } }),
          /HW_DIS_ENDPOINT must use https:\/\//,
        );
      }
      assert.throws(
        () => resolveSettings({ env: { ...base, HW_DIS_ENDPOINT: "not a url" } }),
        /HW_DIS_ENDPOINT is not a URL/,
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
      const fromConfig = resolveSettings({ config: config({ authToken: "tok-config-01" }), env });
      assert.deepEqual(fromConfig.credentials, { kind: "token", token: "tok-config-01" });
      const explicit: ClientSettingsInput = {
        accessKey: "AK-X",
        secretKey: "SK-X-0000001",
        securityToken: "st-0000001",
      };
      const fromExplicit = resolveSettings({ explicit, config: config({ authToken: "tok-config-01" }), env });
      assert.deepEqual(fromExplicit.credentials, {
        kind: "aksk",
        accessKey: "AK-X",
        secretKey: "SK-X-0000001",
        securityToken: "st-0000001",
      });
    });

    it("takes the domain for password auth from any layer", function () {
      const s = resolveSettings({
        config: config({ userName: "cfg-user", password: "cfg-password" }),
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
        () => resolveSettings({ config: config({ userName: "u" }), env: { HW_REGION_NAME: "cn-north-4" } }),
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
    it("defaults to 5 attempts (HW_MAX_RETRIES 4) and reads overrides", function () {
      const base = { HW_REGION_NAME: "cn-north-4", HW_AUTH_TOKEN: "tok-000001" };
      assert.equal(resolveSettings({ env: base }).retry.maxAttempts, 5);
      const s = resolveSettings({
        env: { ...base, HW_MAX_RETRIES: "0" },
        explicit: { responseTimeoutSeconds: 5 },
      });
      assert.equal(s.retry.maxAttempts, 1);
      assert.equal(s.timeouts.responseMs, 5000);
      assert.throws(
        () => resolveSettings({ env: { ...base, HW_MAX_RETRIES: "lots" } }),
        /HW_MAX_RETRIES must be a whole number from 0 to 20, got "lots"/,
      );
    });
  });
});
