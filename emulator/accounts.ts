// The accounts the emulator knows: an account (IAM "domain") with one IAM user, its projects (one
// per region; IAM names a region's default project after the region) and its access keys.
// Every value here is fake; accounts live in memory only, so no password or secret key is ever
// written to the --data file.
import * as crypto from "node:crypto";
import { z } from "zod";

export interface ProjectSpec {
  /** 32 hex characters, as IAM's project ids. */
  id: string;
  /** The region name, e.g. "cn-north-4". */
  name: string;
}

export interface AccessKeySpec {
  accessKey: string;
  secretKey: string;
  /** Set for a temporary AK/SK: requests must then carry it as `X-Security-Token`. */
  securityToken?: string;
}

/** An account to add; ids left out are generated. */
export interface AccountSpec {
  domainName: string;
  /** 32 hex characters. */
  domainId?: string;
  userName: string;
  userId?: string;
  password: string;
  projects: ProjectSpec[];
  accessKeys?: AccessKeySpec[];
  /**
   * Whether the account starts with MetaStudio's AUTO_PAY agreement signed (emulator/README.md,
   * "The auto-pay agreement"). Default false; the demo account's is true.
   */
  autoPayAgreementSigned?: boolean;
}

export type Account = Required<AccountSpec>;

const hex32 = z.string().regex(/^[0-9a-f]{32}$/, "must be 32 lower-case hex digits");

/** An account as the admin API and the CLI's --accounts file take it. */
export const accountSpecSchema: z.ZodType<AccountSpec> = z.strictObject({
  domainName: z.string().min(1),
  domainId: hex32.optional(),
  userName: z.string().min(1),
  userId: hex32.optional(),
  password: z.string().min(1),
  projects: z.array(z.strictObject({ id: hex32, name: z.string().min(1) })).min(1),
  accessKeys: z
    .array(
      z.strictObject({
        accessKey: z.string().min(1),
        secretKey: z.string().min(1),
        securityToken: z.string().min(1).optional(),
      }),
    )
    .optional(),
  autoPayAgreementSigned: z.boolean().optional(),
});

/** The seeded demo account (emulator/README.md lists these values). */
export const DEMO_ACCOUNT = {
  domainName: "emulator-demo",
  domainId: "dddddddddddddddddddddddddddddddd",
  userName: "emulator-demo-user",
  userId: "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
  password: "emulator-demo-password",
  region: "cn-north-4",
  projectId: "0123456789abcdef0123456789abcdef",
  /** A second project of the same account, for "token of another project" cases. */
  otherRegion: "cn-south-1",
  otherProjectId: "fedcba9876543210fedcba9876543210",
  accessKey: "EMULATORDEMOAKID0001",
  secretKey: "emulator-demo-secret-key-not-a-secret",
  temporaryAccessKey: "EMULATORDEMOTEMPAK01",
  temporarySecretKey: "emulator-demo-temporary-secret-key",
  securityToken: "emulator-demo-security-token",
} as const;

export function demoAccountSpec(): Account {
  const d = DEMO_ACCOUNT;
  return {
    domainName: d.domainName,
    domainId: d.domainId,
    userName: d.userName,
    userId: d.userId,
    password: d.password,
    projects: [
      { id: d.projectId, name: d.region },
      { id: d.otherProjectId, name: d.otherRegion },
    ],
    accessKeys: [
      { accessKey: d.accessKey, secretKey: d.secretKey },
      { accessKey: d.temporaryAccessKey, secretKey: d.temporarySecretKey, securityToken: d.securityToken },
    ],
    // Signed, as an account that has ordered with auto-pay before (through Huawei's Terraform or
    // the console) has it: auto-pay MetaStudio orders of the demo account are paid at once.
    autoPayAgreementSigned: true,
  };
}

export interface KeyMatch {
  account: Account;
  key: AccessKeySpec;
}

export class Accounts {
  private readonly list: Account[] = [];
  /** MetaStudio's AUTO_PAY agreement, per account (domain id): when it was signed; absent when not. */
  private readonly autoPaySignedAt = new Map<string, number>();

  /** `now`: when an account that starts with the agreement signed signed it. */
  add(input: AccountSpec, now = Date.now()): Account {
    const spec = accountSpecSchema.parse(input);
    const account: Account = {
      ...spec,
      domainId: spec.domainId ?? crypto.randomBytes(16).toString("hex"),
      userId: spec.userId ?? crypto.randomBytes(16).toString("hex"),
      accessKeys: spec.accessKeys ?? [],
      autoPayAgreementSigned: spec.autoPayAgreementSigned ?? false,
    };
    const clash = (a: Account) =>
      a.domainName === account.domainName ||
      a.domainId === account.domainId ||
      a.accessKeys.some((k) => account.accessKeys.some((s) => s.accessKey === k.accessKey));
    if (this.list.some(clash)) {
      throw new Error(
        `an account named ${account.domainName}, or with one of its ids or access keys, exists already`,
      );
    }
    this.list.push(account);
    if (account.autoPayAgreementSigned) this.autoPaySignedAt.set(account.domainId, now);
    return structuredClone(account);
  }

  /** When the account signed MetaStudio's AUTO_PAY agreement; undefined while it has not. */
  autoPaySigned(domainId: string): number | undefined {
    return this.autoPaySignedAt.get(domainId);
  }

  /** Signs (or, `toSign` false, cancels) the account's AUTO_PAY agreement; signing again keeps the first time. */
  signAutoPay(domainId: string, toSign: boolean, now: number): void {
    if (!toSign) this.autoPaySignedAt.delete(domainId);
    else if (!this.autoPaySignedAt.has(domainId)) this.autoPaySignedAt.set(domainId, now);
  }

  /** Every account's agreement back to how it was added (the emulator's reset). */
  resetAgreements(now: number): void {
    this.autoPaySignedAt.clear();
    for (const a of this.list) if (a.autoPayAgreementSigned) this.autoPaySignedAt.set(a.domainId, now);
  }

  /** The accounts, by name and id, with their agreement (the admin API's view). */
  agreements(): { domainName: string; domainId: string; autoPaySignedAt: number | undefined }[] {
    return this.list.map((a) => ({
      domainName: a.domainName,
      domainId: a.domainId,
      autoPaySignedAt: this.autoPaySignedAt.get(a.domainId),
    }));
  }

  /** IAM identifies the account by its name or its id, and the user by name within it. */
  findUser(domain: { name?: string; id?: string }, userName: string): Account | undefined {
    return this.list.find(
      (a) =>
        (domain.name === undefined || a.domainName === domain.name) &&
        (domain.id === undefined || a.domainId === domain.id) &&
        a.userName === userName,
    );
  }

  byDomainName(domainName: string): Account | undefined {
    return this.list.find((a) => a.domainName === domainName);
  }

  byDomainId(domainId: string): Account | undefined {
    return this.list.find((a) => a.domainId === domainId);
  }

  /** The account a project belongs to (BSS bills an order to the account of its project). */
  byProjectId(projectId: string): Account | undefined {
    return this.list.find((a) => a.projects.some((p) => p.id === projectId));
  }

  findKey(accessKey: string): KeyMatch | undefined {
    for (const account of this.list) {
      const key = account.accessKeys.find((k) => k.accessKey === accessKey);
      if (key) return { account, key };
    }
    return undefined;
  }
}
