import { buildFlows } from "../../flows";
import { cleverReachToCrmFlow } from "../../flows/product/cleverreachToCrm/cleverReachToCrmFlow";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { ENV } from "../../solution/src/model/handles";
import { startFakes, type Fakes } from "../sim/harness";
import { seedContacts, seedStaticList } from "../sync/scenario";

/**
 * What mailing history costs (README, "What mailing history costs"): with clvr_MailingHistorySends on
 * (the default) every recipient of a mailing gets a CleverReach Mailing row, one Dataverse write each;
 * off, only those who opened or clicked.
 */
describe("mailing history: every send, or reactions only (clvr_MailingHistorySends)", () => {
  let fakes: Fakes;
  const flows = buildFlows();
  const hourly = cleverReachToCrmFlow().build();
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());
  const store = () => fakes.cleverReach.server.store;
  const RECIPIENTS = 30;

  /** A list of 30 people synced, and a mailing all 30 were sent; 3 opened it, 1 of them clicked. */
  async function mailingToThirty() {
    const people = seedContacts(
      fakes,
      Array.from({ length: RECIPIENTS }, (_, i) => ({ firstname: `P${i}`, states: { 0: 1 } })),
    );
    const list = seedStaticList(fakes, "News", { 0: 1 }, people);
    const sync = await fakes.simulator(flows).run(syncGroupFlow().build(), { body: { table: "list", id: list } });
    expect(sync.error).toBeUndefined();
    const groupId = Number(fakes.dataverse.row("list", list)?.clvr_cleverreachgroupid);
    const now = store().now();
    const mailing = fakes.cleverReach.seed.mailing("December news", "finished", { started: now - 60 });
    fakes.cleverReach.seed.report(mailing, groupId, {
      sent: Array.from({ length: RECIPIENTS }, (_, i) => ({ email: `p${i}@example.com`, stamp: now - 60 })),
      opened: [0, 1, 2].map((i) => ({ email: `p${i}@example.com`, stamp: now - 30 })),
      clicked: [{ email: "p0@example.com", stamp: now - 20 }],
    });
  }
  const mailingWrites = (operations: Record<string, number>) =>
    Object.entries(operations)
      .filter(([k]) => k.endsWith(":UpdateRecord"))
      .reduce((n, [, v]) => n + v, 0);

  test("default (Yes): a row for every recipient, opens and clicks on theirs", async () => {
    await mailingToThirty();
    const r = await fakes.simulator(flows).run(hourly, {});
    expect(r.status).toBe("Succeeded");
    const rows = fakes.dataverse.rows("clvr_mailingresult");
    expect(rows).toHaveLength(RECIPIENTS);
    expect(rows.filter((x) => x.clvr_opened === true)).toHaveLength(3);
    expect(rows.filter((x) => x.clvr_clicked === true)).toHaveLength(1);
    // One write per recipient, the 3 opens and the click written onto their rows again, the watermark.
    expect(mailingWrites(r.counts.operations)).toBe(RECIPIENTS + 3 + 1 + 1);
  });

  test("No: rows only for who opened or clicked, and the writes shrink with them", async () => {
    await mailingToThirty();
    const r = await fakes.simulator(flows, { [ENV.mailingHistorySends.schemaName]: false }).run(hourly, {});
    expect(r.status).toBe("Succeeded");
    const rows = fakes.dataverse.rows("clvr_mailingresult");
    expect(rows.map((x) => x.clvr_email).sort()).toEqual(["p0@example.com", "p1@example.com", "p2@example.com"]);
    expect(rows.find((x) => x.clvr_email === "p0@example.com")).toMatchObject({ clvr_opened: true, clvr_clicked: true, clvr_name: "December news" });
    // The row still says when the mailing went out.
    expect(rows.every((x) => typeof x.clvr_senton === "string")).toBe(true);
    // Three rows for the opens, the click written onto p0's row, the watermark: no write per recipient.
    expect(mailingWrites(r.counts.operations)).toBe(3 + 1 + 1);
    // Nobody's "sent" was even read.
    expect(fakes.cleverReach.server.requests.filter((q) => q.path.includes("/receivers/sent"))).toEqual([]);
  });
});
