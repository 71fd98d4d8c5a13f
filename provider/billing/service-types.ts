// Which cloud service type code BSS's orders of each order kind carry: the duplicate guard and
// reconcile list orders by it, and MetaStudio's price inquiry names its product by it. No Huawei
// page confirms MetaStudio's code (docs/configuration.md "Service type codes"), so it is looked up, once per
// process, in BSS's catalogue (GET /v2/products/service-types, provider/client/bss-products.ts):
// a code the stack configures (`huaweicloud-orders:serviceTypeCodes`) wins and asks nothing; the
// catalogue's entry with the kind's built-in code confirms it; else the one entry that names the
// service (abbreviation or name) gives it; else the built-in code stands, with one warning per run.
import { bss, type ServiceName } from "../client";

/** What the look-up needs of an order kind (OrderKind has it). */
export interface ServiceTypeKind {
  name: string;
  service: Exclude<ServiceName, "iam" | "bss">;
  /** The built-in code. */
  serviceTypeCode: string;
  /** How BSS's catalogue names the service (abbreviation or name); absent: found by its code only. */
  serviceTypeNames?: readonly string[];
}

export interface ServiceTypeCode {
  code: string;
  /** configured: the stack says it; listed: BSS's catalogue names it; built-in: neither (warned). */
  source: "configured" | "listed" | "built-in";
  /**
   * Codes that belong to other services: an order carrying one is never this kind's (the
   * unfiltered look skips them). Every other code of the catalogue when it names this kind's;
   * otherwise only the other order kinds' codes.
   */
  others: readonly string[];
}

type Catalogue = { types: bss.ServiceType[] } | { failed: string };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Whether a catalogue entry names the service: its abbreviation or name, or a word of its name. */
export function namesService(entry: bss.ServiceType, names: readonly string[]): boolean {
  return names.some((n) => {
    if (
      (entry.abbreviation && same(entry.abbreviation.trim(), n)) ||
      (entry.name && same(entry.name.trim(), n))
    )
      return true;
    const escaped = n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return (
      entry.name !== undefined &&
      new RegExp(`(^|[^A-Za-z0-9])${escaped}([^A-Za-z0-9]|$)`, "i").test(entry.name)
    );
  });
}

export class ServiceTypeCodes {
  /** BSS's catalogue, by BSS endpoint: asked once per process, its failure remembered too. */
  private readonly catalogues = new Map<string, Promise<Catalogue>>();

  constructor(
    private readonly kinds: readonly ServiceTypeKind[],
    /** The stack's `huaweicloud-orders:serviceTypeCodes`, by service (dis, metastudio). */
    private readonly configured: () => Readonly<Record<string, string>>,
    /** One line per run (RunContext.warnOnce). */
    private readonly warnOnce: (message: string) => Promise<void>,
  ) {}

  /** The kind's code without asking BSS: the configured one, else the built-in one. */
  known(kind: ServiceTypeKind): string {
    return this.configured()[kind.service] ?? kind.serviceTypeCode;
  }

  /** The kind's code, looked up in BSS's catalogue (at `site`, its BSS endpoint) unless configured. */
  async codeOf(kind: ServiceTypeKind, client: bss.BssClient, site = ""): Promise<ServiceTypeCode> {
    const otherKinds = this.kinds.filter((k) => k.service !== kind.service).map((k) => this.known(k));
    const configured = this.configured()[kind.service];
    if (configured !== undefined) return { code: configured, source: "configured", others: otherKinds };
    const catalogue = await this.catalogue(client, site);
    const builtIn = kind.serviceTypeCode;
    const fallback = async (why: string): Promise<ServiceTypeCode> => {
      await this.warnOnce(
        `${kind.name}: ${why}; its orders are looked for under the built-in service type code ${builtIn} ` +
          `(no Huawei page confirms it), and, when none are found, among orders of any other service. Set ` +
          `huaweicloud-orders:serviceTypeCodes.${kind.service} to the code BSS shows on its orders to silence this`,
      );
      return { code: builtIn, source: "built-in", others: otherKinds };
    };
    if ("failed" in catalogue) {
      return fallback(
        `BSS's service type list (GET /v2/products/service-types) could not be read (${catalogue.failed})`,
      );
    }
    const found = codeFromCatalogue(kind, catalogue.types, otherKinds);
    return "code" in found ? found : fallback(found.why);
  }

  private catalogue(client: bss.BssClient, site: string): Promise<Catalogue> {
    let catalogue = this.catalogues.get(site);
    if (!catalogue) {
      catalogue = bss.allServiceTypes(client).then(
        (types) => ({ types }),
        (err: unknown) => ({ failed: err instanceof Error ? err.message : String(err) }),
      );
      this.catalogues.set(site, catalogue);
    }
    return catalogue;
  }
}

/**
 * The kind's code as BSS's catalogue gives it: the entry with the built-in code confirms it, else
 * the one entry naming the service; otherwise why neither (the caller falls back or reports it).
 */
export function codeFromCatalogue(
  kind: ServiceTypeKind,
  types: readonly bss.ServiceType[],
  otherKinds: readonly string[],
): ServiceTypeCode | { why: string } {
  const builtIn = kind.serviceTypeCode;
  const listedCodes = types.map((t) => t.code);
  const listed = (code: string): ServiceTypeCode => ({
    code,
    source: "listed",
    others: [...new Set([...otherKinds, ...listedCodes])].filter((c) => !same(c, code)),
  });
  if (listedCodes.some((c) => same(c, builtIn))) return listed(builtIn);
  const named = [
    ...new Set(types.filter((t) => namesService(t, kind.serviceTypeNames ?? [])).map((t) => t.code)),
  ];
  if (named.length === 1) return listed(named[0] as string);
  return {
    why:
      named.length === 0
        ? `BSS's service type list names no service ${(kind.serviceTypeNames ?? [builtIn]).join(" or ")}`
        : `BSS's service type list names ${named.length} services ${(kind.serviceTypeNames ?? []).join(" or ")} (${named.join(", ")})`,
  };
}
