// MetaStudio "Signing a Special Agreement": POST /v1/{project_id}/tenants/special-agreements/signed
// (Huawei's Go SDK v0.1.215 `services/metastudio/v1`, SignSpecialAgreementRequest with body
// SpecialAgreementSignReq {agreement_type, to_sign}; SignSpecialAgreementResponse {agreement_type,
// current_version, signed_version, signed_time}, every answer field optional). Huawei's Terraform
// `huaweicloud_metastudio_instance` signs AUTO_PAY with it before every order. Signing again is
// harmless, so the call is retried on 5xx and timeouts like a read.
import { z } from "zod";
import { parseAnswer } from "./answers";
import type { ProjectClient } from "./metastudio-resources";

/** The SDK's one documented agreement type: "AUTO_PAY: 自动支付协议" (the auto-pay agreement). */
export const AUTO_PAY_AGREEMENT = "AUTO_PAY";

export const SIGN_OPERATION = "SignSpecialAgreement";

/** The request as a message names it. */
export const SIGN_CALL = "POST /v1/{project_id}/tenants/special-agreements/signed";

// The page gives no format beyond "RFC 3339" for signed_time: kept as text, never refused.
const answer = z
  .object({
    agreement_type: z.string().optional(),
    current_version: z.string().optional(),
    signed_version: z.string().optional(),
    signed_time: z.string().optional(),
  })
  .optional();

export interface SignedAgreement {
  agreementType: string | undefined;
  currentVersion: string | undefined;
  signedVersion: string | undefined;
  signedTime: string | undefined;
  /** The answer itself says the agreement is signed (a signed version or time). */
  saysSigned: boolean;
  requestId: string | undefined;
}

/** Signs `agreementType` for the client's project (`to_sign: true`). */
export async function signSpecialAgreement(
  client: ProjectClient,
  agreementType: string,
): Promise<SignedAgreement> {
  const projectId = await client.projectId();
  const result = await client.call({
    service: "metastudio",
    operation: SIGN_OPERATION,
    method: "POST",
    path: ["v1", projectId, "tenants", "special-agreements", "signed"],
    body: { agreement_type: agreementType, to_sign: true },
    creates: false,
    notDone: "The agreement was not signed",
  });
  const body = parseAnswer(client, result, "metastudio", SIGN_OPERATION, answer) ?? {};
  const nonEmpty = (v: string | undefined) => (v === undefined || v === "" ? undefined : v);
  const signedVersion = nonEmpty(body.signed_version);
  const signedTime = nonEmpty(body.signed_time);
  return {
    agreementType: body.agreement_type,
    currentVersion: body.current_version,
    signedVersion,
    signedTime,
    saysSigned: signedVersion !== undefined || signedTime !== undefined,
    requestId: result.requestId,
  };
}
