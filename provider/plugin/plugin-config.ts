// The stack configuration a provider plugin receives, as the run reads it. The engine hands a
// plugin only its own package's namespace (`huaweicloud-orders:`); the settings Huawei's provider
// defines are given there under the same names (`huaweicloud-orders:region`) and read as the shared
// ones (run/stack-config.ts, withSharedSettingsInOwnNamespace). Every other key of the namespace is
// reviewed as always: an unknown one fails the preview, naming it.
import { OWN_NAMESPACE, SHARED_NAMESPACE } from "../client";
import { SHARED_NAMES, withSharedSettingsInOwnNamespace, type StackConfig } from "../run/stack-config";

/**
 * A configure request's variables as the run's stack configuration. The engine names them
 * `huaweicloud-orders:config:accessKey` (the old module form) or `huaweicloud-orders:accessKey`;
 * both are read.
 */
export function pluginStackConfig(variables: ReadonlyMap<string, string>): StackConfig {
  const values = new Map<string, string>();
  for (const [key, value] of variables)
    values.set(key.replace(`${OWN_NAMESPACE}:config:`, `${OWN_NAMESPACE}:`), value);
  return withSharedSettingsInOwnNamespace({ get: (key) => values.get(key), keys: [...values.keys()] });
}

const SHARED_KEY = new RegExp(`\\b${SHARED_NAMESPACE}:(${[...SHARED_NAMES].join("|")})\\b`, "g");

/**
 * A message as a plugin's user must read it: the settings it names by Huawei's provider's key
 * (`huaweicloud:region`) named by the key the plugin reads (`huaweicloud-orders:region`), since
 * the engine never hands the plugin the former. Applied to every line and error the plugin sends.
 */
export function inPluginTerms(message: string): string {
  return message.replace(SHARED_KEY, `${OWN_NAMESPACE}:$1`);
}
