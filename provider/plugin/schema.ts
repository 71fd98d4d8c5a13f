// TEMPORARY local stand-in, replaced by the schema branch before commit.
export function packageSchema(version: string): object {
  return { name: "huaweicloud-orders", version, resources: {} };
}
