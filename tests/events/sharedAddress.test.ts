import { buildFlows } from "../../flows";
import { TABLES } from "../../solution/src/model/handles";
import { closeRouted, openRouted, type TriggerRouter, type Fakes } from "../sim/harness";
import { groupContents, patchRow, personRow, seedContacts, seedStaticList, syncAndSettle } from "../sync/scenario";

/** A scenario with several flows takes 1–3 s idle; ten times that on a busy machine. */
const BUDGET = 60_000;

/**
 * A receiver belongs to the address (SPEC §6.5; one receiver per address and group): when a person
 * is deactivated or deleted, their receiver stays where another active contact or lead with the
 * same address (rules/addresses.ts) still qualifies, and then names that row (crm_table, crm_id);
 * it goes where nobody else qualifies (issue 15, "removeEverywhere … still removes a receiver whose
 * address another active row shares").
 */
describe("deactivated or deleted, with an address another row shares", () => {
  let fakes: Fakes;
  let router: TriggerRouter;
  const flows = buildFlows();
  beforeEach(async () => ({ fakes, router } = await openRouted(flows)));
  afterEach(() => closeRouted(fakes, router));

  const failures = () => router.failures();
  const sync = (table: string, id: string) => syncAndSettle(fakes, router, flows, table, id);
  const receiver = (groupId: number) => groupContents(fakes, groupId).get("ann@example.com");

  /**
   * Ann is in News and Offers (both synced, her receivers name her). Anna, another contact, has the
   * same address spelled differently and is in News only (added without an event: a bulk import).
   */
  async function annAndAnna(anna: { active: boolean }) {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    const offers = seedStaticList(fakes, "Offers", { 0: 1 }, [ann!]);
    const newsGroup = await sync("list", news);
    const offersGroup = await sync("list", offers);
    const [annaId] = fakes.dataverse.seed("contact", [personRow({ firstname: "Anna", email: " ANN@Example.com", states: { 0: 1 }, active: anna.active })]);
    fakes.dataverse.relate("listcontact_association", news, annaId!);
    expect(receiver(newsGroup)?.attributes.crm_id).toBe(ann);
    router.runs.length = 0;
    return { ann: ann!, anna: annaId!, newsGroup, offersGroup };
  }

  const endings = {
    deactivated: (id: string) => patchRow(fakes, "contacts", id, { statecode: 1, statuscode: 2 }),
    deleted: (id: string) => fakes.dataverse.handle({ method: "DELETE", path: `/api/data/v9.2/contacts(${id})`, query: {}, headers: {} }),
  };

  test.each(Object.keys(endings) as Array<keyof typeof endings>)(
    "Ann %s: her receiver stays in News, taken over by Anna, and leaves Offers, where nobody else qualifies",
    async (ending) => {
      const s = await annAndAnna({ active: true });
      await endings[ending](s.ann);
      await router.settle();
      expect(failures()).toEqual([]);
      expect(receiver(s.newsGroup)).toEqual({ active: true, attributes: expect.objectContaining({ firstname: "Anna", crm_table: "contact", crm_id: s.anna }) });
      expect(receiver(s.offersGroup)).toBeUndefined();
      expect(fakes.dataverse.rows(TABLES.syncLock.logicalName)).toEqual([]);
      // A full sync afterwards agrees.
      const news = fakes.dataverse.rows("list").find((l) => l.listname === "News")?.listid as string;
      await sync("list", news);
      expect(receiver(s.newsGroup)).toEqual({ active: true, attributes: expect.objectContaining({ crm_id: s.anna }) });
    },
    BUDGET,
  );

  test(
    "an inactive row with the address keeps nothing: Ann deactivated leaves both groups",
    async () => {
      const s = await annAndAnna({ active: false });
      await endings.deactivated(s.ann);
      await router.settle();
      expect(failures()).toEqual([]);
      expect(receiver(s.newsGroup)).toBeUndefined();
      expect(receiver(s.offersGroup)).toBeUndefined();
    },
    BUDGET,
  );
});
