import { RELATIONSHIPS, TABLES, lookupByNavigation, tableByName } from "./metadata";

describe("fake Dataverse table metadata", () => {
  it("has the seventeen tables with entity sets and primary columns", () => {
    expect(TABLES.map((t) => [t.logicalName, t.entitySetName, t.primaryId, t.primaryName])).toEqual([
      ["contact", "contacts", "contactid", "fullname"],
      ["lead", "leads", "leadid", "fullname"],
      ["account", "accounts", "accountid", "name"],
      ["list", "lists", "listid", "listname"],
      ["listmember", "listmembers", "listmemberid", "name"],
      ["campaign", "campaigns", "campaignid", "name"],
      ["campaignitem", "campaignitems", "campaignitemid", "name"],
      ["campaignactivity", "campaignactivities", "activityid", "subject"],
      ["campaignactivityitem", "campaignactivityitems", "campaignactivityitemid", "campaignactivityitemid"],
      ["environmentvariabledefinition", "environmentvariabledefinitions", "environmentvariabledefinitionid", "schemaname"],
      ["environmentvariablevalue", "environmentvariablevalues", "environmentvariablevalueid", "schemaname"],
      ["stringmap", "stringmaps", "stringmapid", "value"],
      ["clvr_receiverstate", "clvr_receiverstates", "clvr_receiverstateid", "clvr_name"],
      ["clvr_grouplink", "clvr_grouplinks", "clvr_grouplinkid", "clvr_name"],
      ["clvr_mailingresult", "clvr_mailingresults", "clvr_mailingresultid", "clvr_name"],
      ["clvr_synclog", "clvr_synclogs", "clvr_synclogid", "clvr_name"],
      ["clvr_synclock", "clvr_synclocks", "clvr_synclockid", "clvr_name"],
    ]);
  });

  it("takes our columns from the solution model", () => {
    expect(tableByName("contact").columns.clvr_newsletterchecklist?.type).toBe("memo");
    expect(tableByName("lead").columns.clvr_newsletterchecklist?.type).toBe("memo");
    for (const owner of ["list", "campaign", "campaignactivity"]) {
      const cols = tableByName(owner).columns;
      expect(cols.clvr_syncwithcleverreach?.type).toBe("bool");
      expect(Object.keys(cols)).toEqual(
        expect.arrayContaining(["clvr_newsletterchecklist", "clvr_cleverreachgroupid", "clvr_receiverstatus", "clvr_lastsyncon", "clvr_lastsyncerror"]),
      );
    }
    const rs = tableByName("clvr_receiverstates");
    expect(Object.keys(rs.columns)).toEqual(
      expect.arrayContaining(["clvr_name", "clvr_email", "clvr_groupid", "clvr_receiverid", "clvr_state", "clvr_lastevent", "clvr_lasteventon", "clvr_events"]),
    );
    expect(rs.columns.clvr_state?.options).toEqual([482710000, 482710001, 482710002, 482710003, 482710004]);
  });

  it("models lookups with their navigation properties", () => {
    expect(lookupByNavigation(tableByName("contact"), "parentcustomerid_account")?.lookup.name).toBe("parentcustomerid");
    expect(lookupByNavigation(tableByName("contact"), "parentcustomerid_contact")?.target.entity).toBe("contact");
    expect(lookupByNavigation(tableByName("account"), "primarycontactid")?.target.entity).toBe("contact");
    expect(lookupByNavigation(tableByName("campaignactivity"), "regardingobjectid_campaign_campaignactivity")?.target.entity).toBe("campaign");
    const rs = tableByName("clvr_receiverstate");
    expect(rs.lookups.map((l) => [l.name, l.targets[0]?.navigation, l.targets[0]?.entity])).toEqual([
      ["clvr_contact", "clvr_Contact", "contact"],
      ["clvr_lead", "clvr_Lead", "lead"],
      ["clvr_marketinglist", "clvr_MarketingList", "list"],
      ["clvr_campaign", "clvr_Campaign", "campaign"],
      ["clvr_campaignactivity", "clvr_CampaignActivity", "campaignactivity"],
    ]);
  });

  it("knows the marketing N:N relationships", () => {
    expect(RELATIONSHIPS.map((r) => r.name)).toEqual([
      "listcontact_association",
      "listlead_association",
      "listaccount_association",
      "campaignlist_association",
      "campaignactivitylist_association",
    ]);
  });
});
