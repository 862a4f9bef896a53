import { ApiError, badRequest, notFound } from "./errors";
import type { Account, Attribute, BlacklistEntry, Form, Group, Mailing, Receiver, Report, SentFormMail } from "./model";

/**
 * The whole account of the fake CleverReach, in memory. Ids come from one counter per kind and are
 * never reused, like database ids. The clock is replaceable so tests can pin timestamps.
 */
export class Store {
  account: Account = {
    id: 100001,
    name: "Muster",
    firstname: "Max",
    salutation: "Herr",
    company: "Fake GmbH",
    street: "Musterweg 1",
    zip: "26122",
    city: "Oldenburg",
    country: "Germany",
    phone: "",
    fax: "",
    email: "owner@example.com",
    login_domain: "100001.eu2.cleverreach.com",
  };
  groups = new Map<number, Group>();
  /** Receivers per group, keyed by lower-cased e-mail. */
  receivers = new Map<number, Map<string, Receiver>>();
  /** Global attribute values per lower-cased e-mail: CleverReach shares them across groups. */
  globalValues = new Map<string, Record<string, string>>();
  attributes = new Map<number, Attribute>();
  mailings = new Map<number, Mailing>();
  reports = new Map<number, Report>();
  forms = new Map<number, Form>();
  blacklist = new Map<string, BlacklistEntry>();
  sentFormMails: SentFormMail[] = [];
  /**
   * How far CleverReach's clock is from ours, in seconds (negative: behind). Two servers' clocks
   * differ, and CleverReach documents no guarantee for the times it stamps (`deactivated`,
   * `bounced`, a blacklist entry's `stamp`, a reaction's time): a flow that reads "since" a time
   * of its own must allow for it. Tests set it to show that nothing is lost when it is not 0.
   */
  clockSkewSeconds = 0;
  /**
   * Fields GetGroupStats leaves out of its answer (every field of the answer when "all"). Apteco's
   * Get-GroupStats.ps1 sample shows all eight fields and notes that the stats are cached (worked out
   * by CleverReach later, not at the call); issue 15 item 20 met an answer without the counts (a
   * record read "CleverReach group 1001:  receivers,  active"). No document promises the fields, so
   * a test can take them away.
   */
  statsWithout: readonly string[] | "all" = [];
  now: () => number = () => Math.floor(Date.now() / 1000) + this.clockSkewSeconds;

  private counters = { group: 1000, receiver: 5000, attribute: 200, mailing: 9000, form: 300 };

  nextId(kind: keyof Store["counters"]): number {
    this.counters[kind] += 1;
    return this.counters[kind];
  }

  group(id: number): Group {
    const g = this.groups.get(id);
    if (!g) throw notFound(`group ${id} does not exist`);
    return g;
  }

  groupReceivers(groupId: number): Map<string, Receiver> {
    this.group(groupId);
    let m = this.receivers.get(groupId);
    if (!m) {
      m = new Map();
      this.receivers.set(groupId, m);
    }
    return m;
  }

  /** A receiver of a group by id or e-mail: pool_id is "ID or email of the receiver" (MindCloud get-group-receiver.md); unknown → 404 (SDK ResourceNotFoundException). */
  receiver(groupId: number, poolId: string): Receiver {
    const members = this.groupReceivers(groupId);
    const found = /^\d+$/.test(poolId) ? [...members.values()].find((r) => r.id === Number(poolId)) : members.get(poolId.toLowerCase());
    if (!found) throw notFound(`receiver ${poolId} is not in group ${groupId}`);
    return found;
  }

  /** A receiver anywhere in the account (optionally within one group); no source says which group's entry answers, the fake takes the oldest group's. */
  findReceiver(poolId: string, groupId?: number): Receiver {
    if (groupId !== undefined && groupId !== 0) return this.receiver(groupId, poolId);
    for (const gid of [...this.groups.keys()].sort((a, b) => a - b)) {
      const members = this.receivers.get(gid);
      const hit = /^\d+$/.test(poolId) ? [...(members?.values() ?? [])].find((r) => r.id === Number(poolId)) : members?.get(poolId.toLowerCase());
      if (hit) return hit;
    }
    throw notFound(`receiver ${poolId} does not exist`);
  }

  attributesOf(groupId: number): Attribute[] {
    return [...this.attributes.values()].filter((a) => a.groups_id === groupId).sort((a, b) => a.id - b.id);
  }

  createAttribute(
    groupId: number,
    input: { name: string; type: Attribute["type"]; description?: string; preview_value?: string; default_value?: string },
  ): Attribute {
    // Every name in the fixtures is lower case with underscores (getAllGlobalAttributes.json); whether
    // CleverReach would normalise another name is unknown, so the fake refuses it (the stricter choice).
    const name = input.name;
    if (!/^[a-z0-9_]+$/.test(name)) throw badRequest(`attribute name "${input.name}" may only hold lower-case letters, digits and underscores`);
    const clash = [...this.attributes.values()].find((a) => a.name === name && (a.groups_id === 0 || a.groups_id === groupId || groupId === 0));
    // The integration core's createGlobalAttribute treats 409 Conflict as "already exists".
    if (clash) throw new ApiError(409, `Conflict: attribute "${name}" already exists`);
    const attribute: Attribute = {
      id: this.nextId("attribute"),
      name,
      // createAndUpdateGlobalAttribute.json: an attribute created without its own label shows the name.
      description: input.description ?? input.name,
      type: input.type,
      groups_id: groupId,
      preview_value: input.preview_value ?? "",
      default_value: input.default_value ?? "",
    };
    this.attributes.set(attribute.id, attribute);
    return attribute;
  }

  deleteGroup(id: number): void {
    this.group(id);
    this.groups.delete(id);
    this.receivers.delete(id);
    for (const a of this.attributes.values()) if (a.groups_id === id) this.attributes.delete(a.id);
  }
}
