// What the clients of one run share, held in one object instead of in module state: the rate
// limiter (the API's rate is the account's, whichever resource asks), IAM tokens and account ids
// (fetched once, not per resource), and the transport (kept-alive connections, got's instances).
// The provider makes one per engine run and hands it to every client it builds; a client given
// none gets a private one and shares nothing.
import type { IamTokenCache } from "./iam-token";
import { AdaptiveRateLimiter } from "./rate-limiter";
import { GotTransport, type Transport } from "./transport";

export interface ClientRuntimeOptions {
  /**
   * The limiter every client of the runtime paces with; by default a new one. null: no pacing,
   * each request only retries on its own (a client built without a runtime).
   */
  limiter?: AdaptiveRateLimiter | null;
  /** How requests are sent; by default got over keep-alive agents (GotTransport). */
  transport?: Transport;
}

export class ClientRuntime {
  readonly limiter: AdaptiveRateLimiter | undefined;
  readonly transport: Transport;
  /** IAM token caches by identity (endpoint, user, password digest, scope). */
  private readonly tokenCaches = new Map<string, IamTokenCache>();
  /** The account (domain) id IAM named, by IAM endpoint and AK. */
  private readonly domainIds = new Map<string, Promise<string>>();
  /** The project id IAM named for a project name, by IAM endpoint, AK and name. */
  private readonly projectIds = new Map<string, Promise<string>>();

  constructor(options: ClientRuntimeOptions = {}) {
    this.limiter = options.limiter === null ? undefined : (options.limiter ?? new AdaptiveRateLimiter());
    this.transport = options.transport ?? new GotTransport();
  }

  /** The token cache of `identity`, made by `create` the first time it is asked for. */
  tokenCache(identity: string, create: () => IamTokenCache): IamTokenCache {
    let cache = this.tokenCaches.get(identity);
    if (!cache) {
      cache = create();
      this.tokenCaches.set(identity, cache);
    }
    return cache;
  }

  /**
   * The account id of `key`, fetched once (concurrent callers share the request); a failed fetch
   * is forgotten, so the next caller asks again.
   */
  domainId(key: string, fetch: () => Promise<string>): Promise<string> {
    return once(this.domainIds, key, fetch);
  }

  /** The project id of `key` (IAM endpoint, AK, project name), fetched once like an account id. */
  projectId(key: string, fetch: () => Promise<string>): Promise<string> {
    return once(this.projectIds, key, fetch);
  }

  /** Closes the transport's connections, once the run's requests are done. */
  close(): void {
    this.transport.close?.();
  }
}

/** The value of `key`, fetched once (concurrent callers share the request); a failure is forgotten. */
function once(
  cache: Map<string, Promise<string>>,
  key: string,
  fetch: () => Promise<string>,
): Promise<string> {
  let pending = cache.get(key);
  if (!pending) {
    pending = fetch();
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}
