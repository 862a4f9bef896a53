import { COLUMN_NAMES } from "../../../solution/src/model/columns";
import { COLUMNS } from "../../../solution/src/model/handles";
import { product } from "../../../solution/src/model/product";
import { label } from "../../../solution/src/labels";
import { SetupError } from "../errors";
import { odataString, within, type StepContext } from "../context";
import { placeChecklist, type ChecklistPlacement } from "../formXml";
import { WebApiError } from "../webApi";

/** systemform choices (Microsoft's table reference): type 2 is a Main form, formactivationstate 1 Active. */
const MAIN_FORM = 2;
const ACTIVE = 1;

/** The tab setup adds where a form lacks the checklist; its name lets a later run recognise it. */
const TAB_NAME = `${COLUMNS.newsletterChecklist}_tab`;
const TAB_LABEL = label("Newsletter", "Newsletter");

/** The system tables that carry the checklist column, from the solution model. */
export function checklistTables(): string[] {
  return product.extensions.filter((x) => x.columns.some((c) => c.schemaName === COLUMN_NAMES.newsletterChecklist)).map((x) => x.table.logicalName);
}

function placement(ctx: StepContext): ChecklistPlacement {
  const control = ctx.zip.customControls[0];
  if (ctx.zip.customControls.length !== 1 || !control) {
    throw new SetupError(
      "forms",
      "newsletter checklist control",
      `the zip carries ${ctx.zip.customControls.length} code components, setup expects exactly the checklist`,
      "build the control and the zip: npm run build",
    );
  }
  const column = product.extensions.flatMap((x) => x.columns).find((c) => c.schemaName === COLUMN_NAMES.newsletterChecklist);
  return {
    column: COLUMNS.newsletterChecklist,
    control: control.name,
    boundProperty: control.boundProperty,
    tabName: TAB_NAME,
    tabLabel: TAB_LABEL,
    cellLabel: column?.displayName ?? TAB_LABEL,
  };
}

/**
 * Adds the checklist to every active main form of contact, lead, marketing list, campaign and
 * campaign activity that does not show it yet, then publishes those tables. Each form is read and
 * written back with its ETag (If-Match), so a change a maker saves meanwhile is never overwritten.
 */
export async function placeOnForms(ctx: StepContext): Promise<void> {
  const { api, report } = ctx;
  const p = placement(ctx);
  const changedTables: string[] = [];
  for (const table of checklistTables()) {
    const forms = await within("forms", `main forms of ${table}`, () =>
      api.list("systemforms", {
        select: ["formid", "name", "formxml"],
        filter: `objecttypecode eq ${odataString(table)} and type eq ${MAIN_FORM} and formactivationstate eq ${ACTIVE}`,
      }),
    );
    if (forms.length === 0)
      report.note(`${table} has no active main form; add the checklist to your own forms by hand (README, "Adding the newsletter checklist to a form")`);
    for (const form of forms) {
      const name = `${table} form "${String(form.name)}"`;
      const formId = String(form.formid);
      let outcome;
      try {
        outcome = placeChecklist(String(form.formxml ?? ""), formId, p);
      } catch (e) {
        throw new SetupError(
          "forms",
          name,
          `its form XML cannot be read (${(e as Error).message})`,
          "open the form in the form designer, save it, and run setup again",
        );
      }
      if (outcome.kind === "already there") {
        report.unchanged(`${name} shows the checklist`);
        continue;
      }
      if (outcome.kind === "bound to another component") {
        report.note(`${name} shows ${p.column} with ${outcome.component}; left as the maker set it`);
        continue;
      }
      report.changed(
        `${outcome.kind === "added a tab" ? `add a "${TAB_LABEL.en}" tab with the checklist to` : "show the checklist for the column already on"} ${name}`,
      );
      if (!changedTables.includes(table)) changedTables.push(table);
      if (ctx.dryRun) continue;
      await within("forms", name, async () => {
        try {
          await api.update("systemforms", formId, { formxml: outcome.xml }, form["@odata.etag"]);
        } catch (e) {
          if (e instanceof WebApiError && e.status === 412) {
            throw new SetupError(
              "forms",
              name,
              "someone saved the form while setup was changing it; setup did not overwrite that change",
              "run setup again: it reads the form anew and adds the checklist to it",
            );
          }
          throw e;
        }
      });
    }
  }
  if (changedTables.length === 0) return;
  const xml = `<importexportxml><entities>${changedTables.map((t) => `<entity>${t}</entity>`).join("")}</entities></importexportxml>`;
  report.changed(`publish the forms of ${changedTables.join(", ")}`);
  if (!ctx.dryRun) await within("forms", `publishing ${changedTables.join(", ")}`, () => api.action("PublishXml", { ParameterXml: xml }));
}
