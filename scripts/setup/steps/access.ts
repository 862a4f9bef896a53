import { ADMINISTRATOR_PROFILE, ADMINISTRATOR_ROLE } from "../../../solution/src/model/security";
import * as odata from "../../../flows/toolkit/builder/odataFilter";
import { SetupError } from "../errors";
import { within, type StepContext } from "../context";
import type { Row } from "../webApi";

const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;

/**
 * The user the flows' connections sign in as: `--flows-user` (a user id, an application user's
 * application (client) id, or a sign-in name), else the account that runs setup.
 */
async function flowsUser(ctx: StepContext, wanted: string | undefined, signedIn: string): Promise<Row> {
  const { api } = ctx;
  const select = ["systemuserid", "fullname", "_businessunitid_value"];
  const id = GUID.exec(wanted ?? signedIn)?.[1]?.toLowerCase();
  const found = id
    ? [
        ...(await api.list("systemusers", { select, filter: odata.filter(odata.eq("systemuserid", odata.guid(id))) })),
        ...(await api.list("systemusers", { select, filter: odata.filter(odata.eq("applicationid", odata.guid(id))) })),
      ]
    : await api.list("systemusers", { select, filter: odata.filter(odata.eq("domainname", odata.str(wanted ?? ""))) });
  const user = found[0];
  if (!user) {
    throw new SetupError(
      "access",
      `flows user ${wanted ?? signedIn}`,
      "no user of this environment has that id, application id or sign-in name",
      "add the application user first (Power Platform admin center → Environments → Settings → Users + permissions → Application users), or pass --flows-user with the user the flows' connections sign in as",
    );
  }
  return user;
}

/**
 * Gives the identity the flows run as the CleverReach Administrator role (the copy of its own
 * business unit: each business unit holds one) and the column security profile of the same name.
 * Without the profile the flows read the secured columns as empty and a synced list looks as if it
 * had no group (README, "Security model"). Reads first; adds only what is missing.
 */
export async function grantFlowsAccess(ctx: StepContext, wanted: string | undefined, signedIn: string): Promise<void> {
  const { api, report, dryRun } = ctx;
  const user = await within("access", `flows user ${wanted ?? signedIn}`, () => flowsUser(ctx, wanted, signedIn));
  const userId = String(user.systemuserid);
  const who = `${String(user.fullname ?? userId)} (${userId})`;
  const grants = [
    {
      what: `role ${ADMINISTRATOR_ROLE.name}`,
      set: "roles",
      key: "roleid",
      relationship: "systemuserroles_association",
      filter: odata.filter(
        odata.and(odata.eq("name", odata.str(ADMINISTRATOR_ROLE.name)), odata.eq("_businessunitid_value", odata.guid(String(user._businessunitid_value)))),
      ),
    },
    {
      what: `column security profile ${ADMINISTRATOR_PROFILE.name}`,
      set: "fieldsecurityprofiles",
      key: "fieldsecurityprofileid",
      relationship: "systemuserprofiles_association",
      filter: odata.filter(odata.eq("name", odata.str(ADMINISTRATOR_PROFILE.name))),
    },
  ];
  for (const g of grants) {
    await within("access", `${g.what} for ${who}`, async () => {
      if (!ctx.solutionPresent) return report.changed(`give ${who} the ${g.what} (after the import)`);
      const target = (await api.list(g.set, { select: [g.key], filter: g.filter }))[0];
      if (!target) {
        throw new SetupError(
          "access",
          `${g.what} for ${who}`,
          "the environment has no such role or profile although the solution is imported",
          "import the solution again: npm run setup -- --reimport …",
        );
      }
      const targetId = String(target[g.key]);
      const held = await api.related("systemusers", userId, g.relationship, [g.key]);
      if (held.some((h) => String(h[g.key]) === targetId)) return report.unchanged(`${who} has the ${g.what}`);
      report.changed(`give ${who} the ${g.what}`);
      if (!dryRun) await api.associate("systemusers", userId, g.relationship, g.set, targetId);
    });
  }
}
