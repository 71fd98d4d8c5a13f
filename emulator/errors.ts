// Error bodies in the shape each layer of Huawei Cloud answers with. Three shapes exist:
// - the API gateway in front of every cloud service (APIGW.xxxx, API Request Signing Guide,
//   "Error Codes"): {"error_msg", "error_code", "request_id"};
// - the services behind it, DIS (DIS "Error Codes", e.g. DIS.4200 "Invalid request. %s") and
//   MetaStudio (the order page's examples, e.g. MSS.00000003): {"error_code", "error_msg"};
// - IAM's Keystone-style token API: {"error": {"code", "message", "title"}}.
// The error codes each service's pages name are here too, BSS's included.
import type { AuthFailure, Reply, ServiceName } from "./types";

export function apigwError(status: number, code: string, message: string, requestId: string): Reply {
  return { status, body: { error_msg: message, error_code: code, request_id: requestId } };
}

export function serviceError(status: number, code: string, message: string): Reply {
  return { status, body: { error_code: code, error_msg: message } };
}

const IAM_TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function iamError(status: number, message: string): Reply {
  return { status, body: { error: { code: status, message, title: IAM_TITLES[status] ?? "Error" } } };
}

// DIS's error page: "DIS.4200 Invalid request. %s" (400) and "DIS.5000 System error." (500).
export const DIS_INVALID_REQUEST = "DIS.4200";
export const DIS_EMPTY_REQUEST = "DIS.4202";
export const DIS_SYSTEM_ERROR = "DIS.5000";
// The MetaStudio page's example responses.
export const MSS_UNAUTHORIZED = "MSS.00000001";
export const MSS_INVALID_PARAMETER = "MSS.00000003";
export const MSS_INTERNAL_ERROR = "MSS.00000004";
export const MSS_FORBIDDEN = "MSS.00000005";
// The API gateway's table (API Request Signing Guide, "Error Codes").
export const APIGW_NOT_FOUND = "APIGW.0101";
export const APIGW_REQUEST_ERROR = "APIGW.0201";
export const APIGW_IAM_AUTH = "APIGW.0301";
export const APIGW_NOT_AUTHORIZED = "APIGW.0302";
export const APIGW_TOKEN_EXPIRED = "APIGW.0307";
export const APIGW_THROTTLED = "APIGW.0308";
// BSS error codes. From Huawei's "Error Codes" page (customer operation capabilities):
// CBC.30050009 "The resources do not exist or has been deleted due to expiration.",
// CBC.3124 "Resources have been unsubscribed from.". CBC.30000010 (invalid order / may not exist,
// 400) and CBC.99003106 (order not payable): the PayOrders page's status codes; the order-details
// page names no code for an unknown order (emulator/README.md). CBC.99005003 (insufficient
// balance) and CBC.30000052 (resource or account frozen): the PayOrders page's status codes.
// CBC.0100 (parameter error) and CBC.0999 (other error): the code BSS pages commonly show.
export const BSS_INVALID_PARAMETER = "CBC.0100";
export const BSS_INTERNAL_ERROR = "CBC.0999";
export const BSS_ORDER_NOT_FOUND = "CBC.30000010";
export const BSS_ORDER_NOT_PAYABLE = "CBC.99003106";
export const BSS_INSUFFICIENT_BALANCE = "CBC.99005003";
export const BSS_RESOURCE_NOT_FOUND = "CBC.30050009";
export const BSS_ALREADY_UNSUBSCRIBED = "CBC.3124";
// The current "Unsubscribing from Yearly/Monthly Resources" page's status-code table (each a 400
// for the whole request; the two above are older tables' per-resource codes, in a 200).
export const BSS_UNSUBSCRIBE_GONE = "CBC.30000067";
export const BSS_UNSUBSCRIBE_NO_SUCH_ID = "CBC.99003012";
export const BSS_UNSUBSCRIBE_IN_PROGRESS = "CBC.99003651";
export const BSS_UNSUBSCRIBE_FROZEN = "CBC.99003656";
export const BSS_UNSUBSCRIBE_NO_RENEWAL = "CBC.99003128";
// The price inquiry's: an unknown cloud service type and a period the product is not sold for
// (the "Error Codes" page); a product the inquiry cannot match (service type, resource type,
// region, spec): 400 CBC.99006006, the inquiry page's status codes.
export const BSS_UNSUPPORTED_SERVICE = "CBC.3006";
export const BSS_PRODUCT_NOT_FOUND = "CBC.99006006";
export const BSS_PERIOD_NOT_OFFERED = "CBC.30050008";

export function disInvalid(detail: string): Reply {
  return serviceError(400, DIS_INVALID_REQUEST, `Invalid request. ${detail}`);
}

export function mssInvalid(detail: string): Reply {
  return serviceError(400, MSS_INVALID_PARAMETER, `Invalid parameter: ${detail}`);
}

/**
 * The answer to a request that failed inside the service (a bug in the emulator, or an injected
 * 5xx fault): each service's own internal-error code. 502 and 504 come from the gateway, whose
 * table has "Backend unavailable." and "Backend timeout." under APIGW.0201.
 */
export function internalError(service: ServiceName, status: number, requestId: string): Reply {
  if (status === 502) return apigwError(502, APIGW_REQUEST_ERROR, "Backend unavailable.", requestId);
  if (status === 504) return apigwError(504, APIGW_REQUEST_ERROR, "Backend timeout.", requestId);
  switch (service) {
    case "dis":
      return serviceError(status, DIS_SYSTEM_ERROR, "System error.");
    case "metastudio":
      return serviceError(status, MSS_INTERNAL_ERROR, "Internal Error");
    case "iam":
      return iamError(status, "The server encountered an internal error.");
    case "bss":
      return serviceError(status, BSS_INTERNAL_ERROR, "Other errors.");
  }
}

/**
 * The API gateway's answers to a failed authentication (DIS's page documents token authentication
 * only, BSS sits behind the same gateway): 401 APIGW.0301 / APIGW.0307, 403 APIGW.0302.
 */
export function gatewayAuthError(failure: AuthFailure, requestId: string): Reply {
  switch (failure.kind) {
    case "expired":
      return apigwError(401, APIGW_TOKEN_EXPIRED, "The token must be updated.", requestId);
    case "forbidden":
      return apigwError(
        403,
        APIGW_NOT_AUTHORIZED,
        "The IAM user is not authorized to access the API.",
        requestId,
      );
    case "unauthenticated":
      return apigwError(
        401,
        APIGW_IAM_AUTH,
        `Incorrect IAM authentication information: ${failure.detail}`,
        requestId,
      );
  }
}

/** HTTP 429 from the gateway, with the seconds to wait (the client honours `Retry-After`). */
export function throttled(requestId: string, retryAfterSeconds: number, limitPerSecond?: number): Reply {
  const message =
    limitPerSecond === undefined
      ? "The throttling threshold has been reached."
      : `The throttling threshold has been reached: policy user over ratelimit,limit:${limitPerSecond},time:1 second`;
  return {
    ...apigwError(429, APIGW_THROTTLED, message, requestId),
    headers: { "Retry-After": String(retryAfterSeconds) },
  };
}
