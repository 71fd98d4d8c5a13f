// IAM tokens for user-name/password credentials: fetched once per run (the ClientRuntime keeps one
// cache per identity and scope) and shared by every request (IAM "Obtaining a User Token Through
// Password Authentication": POST /v3/auth/tokens, token in X-Subject-Token), renewed shortly
// before it expires and fetched again once when a service answers 401.

export interface IamToken {
  value: string;
  expiresAt: Date;
  /** The project the token is scoped to, as IAM reports it. */
  projectId?: string | undefined;
}

/** Renew this long before the token's own expiry, so no request carries a token about to lapse. */
export const RENEW_BEFORE_EXPIRY_MS = 5 * 60 * 1000;

export class IamTokenCache {
  private current: IamToken | undefined;
  private pending: Promise<IamToken> | undefined;

  constructor(
    private readonly fetchToken: () => Promise<IamToken>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A valid token; concurrent callers share one IAM request. */
  async get(): Promise<IamToken> {
    const token = this.current;
    if (token && token.expiresAt.getTime() - RENEW_BEFORE_EXPIRY_MS > this.now().getTime()) return token;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    this.current = await this.pending;
    return this.current;
  }

  /** The token fetched last, if any, without fetching one (it may have expired). */
  peek(): IamToken | undefined {
    return this.current;
  }

  /** Drops `token` after a 401 so the next get() fetches a new one (unless another caller already did). */
  invalidate(token: IamToken): void {
    if (this.current === token) this.current = undefined;
  }
}
