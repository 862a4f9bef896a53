import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { parseSetupArgs, UsageError, USAGE } from "../../scripts/setup";
import { SetupError } from "../../scripts/setup/errors";
import { Reporter } from "../../scripts/setup/progress";
import { readSettings } from "../../scripts/setup/settings";
import { activationOrder, type ZipFlow } from "../../scripts/setup/solutionZip";
import { checklistTables } from "../../scripts/setup/steps/forms";
import { CapturedOutput, CHECKLIST_TABLES } from "./fixture";

const flow = (id: string, children: string[] = []): ZipFlow => ({ id, name: `flow ${id}`, connectionReferences: [], children });

describe("activation order", () => {
  test("children come before every flow that calls them; otherwise the zip's order holds", () => {
    const order = activationOrder([flow("parent", ["child"]), flow("other"), flow("grandparent", ["parent", "child"]), flow("child")]);
    expect(order.map((f) => f.id)).toEqual(["child", "parent", "other", "grandparent"]);
  });

  test("a cycle is named instead of looping", () => {
    expect(() => activationOrder([flow("a", ["b"]), flow("b", ["a"])])).toThrow(/it calls itself through flow a → flow b → flow a/);
  });

  test("a child missing from the zip is named", () => {
    expect(() => activationOrder([flow("a", ["ghost"])])).toThrow(/calls the child flow ghost, which is not in the zip/);
  });
});

describe("progress report", () => {
  test("on a terminal the progress bar is redrawn in place and ended before the next line", () => {
    const out = new CapturedOutput(true);
    const r = new Reporter(out, false);
    r.step("import");
    r.progress("importing", 0);
    r.progress("importing", 50);
    r.progress("importing", 100);
    r.note("imported");
    expect(out.text).toBe(
      "[3/8] import the solution\n" +
        `\r  importing [${"-".repeat(24)}]   0 %` +
        `\r  importing [${"#".repeat(12)}${"-".repeat(12)}]  50 %` +
        `\r  importing [${"#".repeat(24)}] 100 %\n` +
        "  imported\n",
    );
  });

  test("in a log the progress is one line per change of the percentage", () => {
    const out = new CapturedOutput(false);
    const r = new Reporter(out, false);
    r.progress("importing", 50);
    r.progress("importing", 50);
    r.progress("importing", 100);
    expect(out.lines.filter((l) => l !== "")).toEqual(["  importing: 50 %", "  importing: 100 %"]);
  });
});

describe("settings file", () => {
  const dir = mkdtempSync(join(tmpdir(), "crc-settings-unit-"));
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  test("the file npm run build writes is read as it is (pac's deployment settings shape)", () => {
    const s = readSettings(join(__dirname, "..", "..", "solution", "deploymentSettings.json"));
    expect(s.ConnectionReferences.map((r) => r.LogicalName)).toEqual(["clvr_CleverReach", "clvr_Dataverse"]);
    expect(s.EnvironmentVariables.length).toBeGreaterThan(0);
  });

  test("a secret anywhere in it is refused, with where it is", () => {
    const p = file(
      "nested.json",
      JSON.stringify({ EnvironmentVariables: [], ConnectionReferences: [{ LogicalName: "x", ConnectionId: "", ConnectorId: "", Password: "p" }] }),
    );
    expect(() => readSettings(p)).toThrow(/\$\.ConnectionReferences\[0\]\.Password looks like a secret/);
  });

  test("broken JSON and a missing file name the file", () => {
    const broken = file("broken.json", "{ EnvironmentVariables: ");
    expect(() => readSettings(broken)).toThrow(new RegExp(`settings file ${broken}: it is not valid JSON`));
    expect(() => readSettings(join(dir, "missing.json"))).toThrow(/it cannot be read .*What to do: copy solution\/deploymentSettings\.json/s);
  });

  test("entries in the wrong shape are refused", () => {
    const p = file("shape.json", JSON.stringify({ EnvironmentVariables: [{ SchemaName: "clvr_GroupPrefix", Value: 3 }] }));
    expect(() => readSettings(p)).toThrow(/EnvironmentVariables must be a list of/);
  });
});

describe("command line", () => {
  const root = "/repo";

  test("defaults: the managed zip from dist/, device code sign-in, changes made", () => {
    const { setup, tokens } = parseSetupArgs(["--url", "https://contoso.crm4.dynamics.com", "--settings", "s.json"], root);
    expect(setup).toMatchObject({
      environmentUrl: "https://contoso.crm4.dynamics.com/",
      zipPath: "/repo/dist/CleverReachConnector_1_0_0_0_managed.zip",
      dryRun: false,
      skipForms: false,
    });
    expect(setup.timing).toEqual({ pollIntervalMs: 5000, timeoutMs: 1_800_000 });
    expect(tokens.who).toBe("you, signed in with a device code");
  });

  test("--package unmanaged picks the unmanaged zip; --dry-run and --skip-forms are passed on", () => {
    const { setup } = parseSetupArgs(
      ["--url", "https://contoso.crm4.dynamics.com", "--settings", "s.json", "--package", "unmanaged", "--dry-run", "--skip-forms"],
      root,
    );
    expect(setup).toMatchObject({ zipPath: "/repo/dist/CleverReachConnector_1_0_0_0.zip", dryRun: true, skipForms: true });
  });

  test("wrong input is a usage error that says what is wrong", () => {
    const usage = (args: string[]): string => {
      try {
        parseSetupArgs(args, root);
      } catch (e) {
        if (e instanceof UsageError) return e.message;
        throw e;
      }
      throw new Error("no usage error");
    };
    expect(usage([])).toBe("--url and --settings are required");
    expect(usage(["--url", "http://contoso.crm4.dynamics.com", "--settings", "s"])).toBe("--url must be https:// (Dataverse answers only over TLS), not http:");
    expect(usage(["--url", "https://c.crm.dynamics.com", "--settings", "s", "--package", "both"])).toBe('--package is managed or unmanaged, not "both"');
    expect(usage(["--url", "https://c.crm.dynamics.com", "--settings", "s", "--auth", "app"])).toBe("--auth app needs --tenant and --client-id");
  });

  test("an application user without the secret in the environment is refused at sign-in, naming the variable", () => {
    const saved = process.env.DATAVERSE_CLIENT_SECRET;
    delete process.env.DATAVERSE_CLIENT_SECRET;
    try {
      expect(() =>
        parseSetupArgs(
          [
            "--url",
            "https://c.crm.dynamics.com",
            "--settings",
            "s",
            "--auth",
            "app",
            "--tenant",
            "contoso.onmicrosoft.com",
            "--client-id",
            "00000000-0000-0000-0000-000000000001",
          ],
          root,
        ),
      ).toThrow(SetupError);
    } finally {
      if (saved !== undefined) process.env.DATAVERSE_CLIENT_SECRET = saved;
    }
  });
});

test("the checklist goes on the forms of the tables the model gives the checklist column", () => {
  expect(checklistTables()).toEqual(CHECKLIST_TABLES);
});

test("the README's maker section starts with npm run setup, keeps the by-hand path, and names every option", () => {
  const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Installing in an environment (makers)"));
  const subsections = [...section.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
  expect(subsections.slice(0, 3)).toEqual(["With one command: `npm run setup`", "Which zip where", "By hand in make.powerapps.com"]);
  const options = [...new Set([...USAGE.matchAll(/ (--[a-z-]+)/g)].map((m) => m[1] as string))].filter((o) => o !== "--url" && o !== "--settings");
  for (const option of options)
    expect({ option, inReadme: section.includes(`\`${option}`) || section.includes(`${option} `) }).toEqual({ option, inReadme: true });
});
