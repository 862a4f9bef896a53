import { SetupError } from "../../scripts/setup/errors";
import { ADMINISTRATOR_PROFILE, ADMINISTRATOR_ROLE } from "../../solution/src/model/security";
import { setup, startEnvironment, type SetupEnvironment } from "./fixture";

/**
 * The flows' identity needs the CleverReach Administrator role and column security profile, or it
 * reads the secured columns as empty (README, "Security model"); setup gives it both.
 */
jest.setTimeout(60_000);

let env: SetupEnvironment;
beforeEach(async () => {
  env = await startEnvironment();
});
afterEach(async () => {
  await env.server.stop();
});

const platform = (): SetupEnvironment["server"]["platform"] => env.server.platform;
const roles = (user: string) => platform().heldBy(user, "systemuserroles_association");
const profiles = (user: string) => platform().heldBy(user, "systemuserprofiles_association");

describe("setup gives the flows' identity its role and profile", () => {
  test("by default the account that runs setup gets the Administrator role and profile, once", async () => {
    const run = await setup(env);
    expect(run.error).toBeUndefined();
    expect(roles(platform().userId)).toEqual([ADMINISTRATOR_ROLE.name]);
    expect(profiles(platform().userId)).toEqual([ADMINISTRATOR_PROFILE.name]);
    expect(run.out.text).toContain(`give Setup Admin (${platform().userId}) the role ${ADMINISTRATOR_ROLE.name}`);
    const again = await setup(env);
    expect(again.changes).toBe(0);
    expect(again.out.text).toContain(`Setup Admin (${platform().userId}) has the column security profile ${ADMINISTRATOR_PROFILE.name}`);
  });

  test("an application user in a child business unit, named by its application id, gets that unit's copy of the role", async () => {
    const unit = platform().addBusinessUnit();
    const appId = "5b8f3c2a-1d4e-4f60-9a7b-2c3d4e5f6a7b";
    const app = platform().seedUser({ fullname: "# CleverReach flows", applicationid: appId, businessUnit: unit });
    const run = await setup(env, { flowsUser: appId });
    expect(run.error).toBeUndefined();
    expect(roles(app)).toEqual([ADMINISTRATOR_ROLE.name]);
    expect(profiles(app)).toEqual([ADMINISTRATOR_PROFILE.name]);
    // Nothing was given to the account that ran setup.
    expect(roles(platform().userId)).toEqual([]);
  });

  test("a person named by sign-in name", async () => {
    const person = platform().seedUser({ fullname: "Flow Owner", domainname: "flows@contoso.onmicrosoft.com" });
    expect((await setup(env, { flowsUser: "flows@contoso.onmicrosoft.com" })).error).toBeUndefined();
    expect(roles(person)).toEqual([ADMINISTRATOR_ROLE.name]);
  });

  test("--dry-run lists the grants and gives nothing", async () => {
    const run = await setup(env, { dryRun: true });
    expect(run.error).toBeUndefined();
    expect(run.out.text).toContain(`would give Setup Admin (${platform().userId}) the role ${ADMINISTRATOR_ROLE.name} (after the import)`);
    expect(roles(platform().userId)).toEqual([]);
  });

  test("a flows user that does not exist: the step names it and says how to add it", async () => {
    const run = await setup(env, { flowsUser: "nobody@contoso.onmicrosoft.com" });
    const e = run.error as SetupError;
    expect(e).toBeInstanceOf(SetupError);
    expect(e.step).toBe("access");
    expect(e.component).toBe("flows user nobody@contoso.onmicrosoft.com");
    expect(e.whatToDo).toMatch(/Application users/);
  });

  test("no privilege to assign roles: the platform's words and which role setup needs", async () => {
    platform().deny("write systemusers", "prvAssignRole");
    const e = (await setup(env)).error as SetupError;
    expect(e.step).toBe("access");
    expect(e.problem).toMatch(/403 \(0x80040220\).*prvAssignRole/);
    expect(e.whatToDo).toMatch(/System Administrator/);
  });
});
