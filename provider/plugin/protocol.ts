// The engine's provider protocol as the plugin speaks it: the gRPC library and generated message
// classes @pulumi/pulumi ships (resolved from there, so plugin and SDK share one copy), and the
// two conversions every call needs: a plain object to a protobuf Struct, and an error to a status.
import * as path from "node:path";
import type * as grpc from "@grpc/grpc-js";
import type * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import type * as structproto from "google-protobuf/google/protobuf/struct_pb";
import type * as anyproto from "google-protobuf/google/protobuf/any_pb";
import type * as provproto from "@pulumi/pulumi/proto/provider_pb";
import type * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import type * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { PartialCreate } from "../lifecycle/jobs";

export interface Protocol {
  grpc: typeof grpc;
  provider: typeof provproto;
  plugin: typeof plugproto;
  service: typeof provrpc.ResourceProviderService;
  empty: typeof emptyproto;
  struct(value: object): structproto.Struct;
  /** An error as the engine reads it; a PartialCreate as ErrorResourceInitFailed (state kept). */
  errorStatus(error: unknown, wording: (message: string) => string): Partial<grpc.StatusObject>;
}

export function loadProtocol(): Protocol {
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const fromSdk = (id: string) => require.resolve(id, { paths: [sdkDir] });
  /* eslint-disable @typescript-eslint/no-require-imports -- generated stubs, loaded from the SDK's copy */
  const grpcLib = require(fromSdk("@grpc/grpc-js")) as typeof grpc;
  const provider = require("@pulumi/pulumi/proto/provider_pb") as typeof provproto;
  const status = require("@pulumi/pulumi/proto/status_pb") as typeof statusproto;
  const Struct = (require(fromSdk("google-protobuf/google/protobuf/struct_pb")) as typeof structproto).Struct;
  const Any = (require(fromSdk("google-protobuf/google/protobuf/any_pb")) as typeof anyproto).Any;
  const protocol: Protocol = {
    grpc: grpcLib,
    provider,
    plugin: require("@pulumi/pulumi/proto/plugin_pb") as typeof plugproto,
    service: (require("@pulumi/pulumi/proto/provider_grpc_pb") as typeof provrpc).ResourceProviderService,
    empty: require(fromSdk("google-protobuf/google/protobuf/empty_pb")) as typeof emptyproto,
    /* eslint-enable @typescript-eslint/no-require-imports */
    struct: (value) => Struct.fromJavaScript(value as Record<string, structproto.JavaScriptValue>),
    errorStatus(error, wording) {
      const message = wording(error instanceof Error ? error.message : String(error));
      const metadata = new grpcLib.Metadata();
      if (error instanceof PartialCreate) {
        // The order exists: the engine saves the resource with these outputs and the message as its
        // initialization error, and the next `up` resumes it (update).
        const detail = new provider.ErrorResourceInitFailed()
          .setId(error.id)
          .setProperties(protocol.struct(error.properties))
          .setReasonsList(error.reasons);
        const details = new Any();
        details.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
        const state = new status.Status().setCode(grpcLib.status.UNKNOWN).setMessage(message);
        state.addDetails(details);
        metadata.add("grpc-status-details-bin", Buffer.from(state.serializeBinary()));
      }
      return { code: grpcLib.status.UNKNOWN, details: message, metadata };
    },
  };
  return protocol;
}
