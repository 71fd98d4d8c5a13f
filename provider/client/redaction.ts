// The one place secrets are scrubbed: every error message and every log line the client builds
// passes through a Redactor that knows the credentials in use.

/** Headers whose values are credentials or derived from them, in any request or response. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  "x-auth-token",
  "x-subject-token",
  "x-security-token",
  "authorization",
]);

const REDACTED = "[redacted]";

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers values that must never appear in output (tokens, passwords, keys). */
  add(...values: (string | undefined)[]): this {
    for (const v of values) {
      // Very short values would blank out ordinary words; real credentials are long.
      if (v && v.length >= 6) this.secrets.add(v);
    }
    return this;
  }

  text(input: string): string {
    let out = input;
    // Longest first, so a secret that contains another is removed whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  headers(input: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(input)) {
      if (value === undefined) continue;
      const joined = Array.isArray(value) ? value.join(", ") : value;
      out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : this.text(joined);
    }
    return out;
  }
}
