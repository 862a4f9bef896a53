import { buildFlows } from "../../flows";
import { cleverReachToCrmFlow } from "../../flows/product/cleverreachToCrm/cleverReachToCrmFlow";
import { closeRouted, openRouted, type TriggerRouter, type Fakes } from "../sim/harness";
import { groupContents, personRow, seedContacts, seedStaticList, syncAndSettle, declinesOf as declinesOfRow } from "../sync/scenario";

/** A scenario with several flows takes 2–5 s idle; ten times that on a busy machine. */
const BUDGET = 60_000;

/**
 * Issue 15 ("every value spliced into FetchXML, OData or JSON goes through one escaping builder"):
 * o'brien@example.com is a valid address (RFC 5322 allows ' in the local part) and the one a
 * spliced query breaks on. Every path that finds people or rows by address runs with it.
 */
describe("an address with an apostrophe (issue 15, escaping)", () => {
  let fakes: Fakes;
  let router: TriggerRouter;
  const flows = buildFlows();
  beforeEach(async () => ({ fakes, router } = await openRouted(flows)));
  afterEach(() => closeRouted(fakes, router));

  const failures = () => router.failures();
  const sync = (table: string, id: string) => syncAndSettle(fakes, router, flows, table, id);
  const declinesOf = (table: string, id: string) => declinesOfRow(fakes, table, id);

  test(
    "Ann O'Brien is synced, unsubscribes in CleverReach, and the decline reaches her contact and her lead (any case) but not brien@; a later list does not subscribe her",
    async () => {
      const [ann] = seedContacts(fakes, [{ firstname: "Ann", email: "o'brien@example.com", states: { 0: 1 } }]);
      const [lead] = fakes.dataverse.seed("lead", [personRow({ firstname: "Ann", email: " O'Brien@Example.com", states: { 0: 1 } })]);
      const [bert] = seedContacts(fakes, [{ firstname: "Bert", email: "brien@example.com", states: { 0: 1 } }]);
      const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!, bert!]);
      const group = await sync("list", news);
      expect(groupContents(fakes, group).get("o'brien@example.com")?.active).toBe(true);

      fakes.cleverReach.seed.unsubscribe(group, "o'brien@example.com");
      const hourly = await fakes.simulator(flows).run(cleverReachToCrmFlow().build(), {});
      expect(hourly.error).toBeUndefined();
      await router.settle();
      expect(failures()).toEqual([]);

      // The Receiver State flow found every row with her address (sameAddress, its own rows of the address).
      expect(declinesOf("contact", ann!)).toEqual([[0, String(group)]]);
      expect(declinesOf("lead", lead!)).toEqual([[0, String(group)]]);
      expect(declinesOf("contact", bert!)).toEqual([]);

      // What she meets: new lists sending the type, for contacts and for leads, leave her out.
      const later = seedStaticList(fakes, "Later", { 0: 1 }, [ann!, bert!]);
      const laterGroup = await sync("list", later);
      expect([...groupContents(fakes, laterGroup).keys()]).toEqual(["brien@example.com"]);
      const leads = seedStaticList(fakes, "Leads", { 0: 1 }, [lead!], "lead");
      expect([...groupContents(fakes, await sync("list", leads)).keys()]).toEqual([]);
      expect(failures()).toEqual([]);
    },
    BUDGET,
  );
});
