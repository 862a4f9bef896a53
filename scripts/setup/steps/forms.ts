import { COLUMN_NAMES } from "../../../solution/src/model/columns";
import * as odata from "../../../flows/toolkit/builder/odataFilter";
import { COLUMNS, TABLES } from "../../../solution/src/model/handles";
import { syncLog } from "../../../solution/src/model/customTables";
import { viewId } from "../../../solution/src/xml/customTable";
import { product } from "../../../solution/src/model/product";
import { label } from "../../../solution/src/labels";
import { SetupError, type StepKey } from "../errors";
import { within, type StepContext } from "../context";
import { placeChecklist, placeSubgrid, removeChecklist, removeSubgrid, type ChecklistPlacement, type SubgridPlacement } from "../formXml";
import { WebApiError } from "../webApi";

/** systemform choices (Microsoft's table reference): type 2 is a Main form, formactivationstate 1 Active. */
const MAIN_FORM = 2;
const ACTIVE = 1;

/** The tab setup adds where a form lacks the checklist; its name lets a later run recognise it. */
const TAB_NAME = `${COLUMNS.newsletterChecklist}_tab`;
const TAB_LABEL = label("Newsletter", "Newsletter");

const SYNC_LOG_LABEL = label("Sync log", "Synchronisationsprotokoll");
/** Sync log rows the subgrid shows per page. */
const SYNC_LOG_ROWS_PER_PAGE = 10;

/**
 * The "Sync log" subgrid per table whose records have a sync log (the tables the sync log's lookups
 * name: marketing list, campaign, campaign activity): this record's rows through the lookup's
 * relationship, in the sync log's public view (newest first).
 */
export function syncLogPlacements(): Map<string, SubgridPlacement> {
  const placements = new Map<string, SubgridPlacement>();
  for (const c of syncLog.columns) {
    if (c.kind !== "lookup") continue;
    placements.set(c.target.logicalName, {
      tabName: `${TABLES.syncLog.logicalName}_tab`,
      tabLabel: SYNC_LOG_LABEL,
      controlId: `${TABLES.syncLog.logicalName}_subgrid`,
      targetTable: TABLES.syncLog.logicalName,
      relationshipName: c.relationshipName,
      viewId: viewId(syncLog, "active"),
      recordsPerPage: SYNC_LOG_ROWS_PER_PAGE,
    });
  }
  return placements;
}

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

type FormStep = Extract<StepKey, "forms" | "formsRemoval">;

interface MainForm {
  table: string;
  /** In words, for the report and errors: `contact form "Information"`. */
  name: string;
  id: string;
  xml: string;
  etag: string | undefined;
}

/** The active main forms of the checklist tables, as they are now. */
async function mainForms(ctx: StepContext, table: string, step: FormStep): Promise<MainForm[]> {
  const rows = await within(step, `main forms of ${table}`, () =>
    ctx.api.list("systemforms", {
      select: ["formid", "name", "formxml"],
      filter: odata.filter(
        odata.and(odata.eq("objecttypecode", odata.str(table)), odata.eq("type", odata.int(MAIN_FORM)), odata.eq("formactivationstate", odata.int(ACTIVE))),
      ),
    }),
  );
  return rows.map((f) => ({ table, name: `${table} form "${String(f.name)}"`, id: String(f.formid), xml: String(f.formxml ?? ""), etag: f["@odata.etag"] }));
}

/** Saves a form only if nobody saved it since setup read it (If-Match with the ETag read). */
async function save(ctx: StepContext, form: MainForm, xml: string, step: FormStep): Promise<void> {
  await within(step, form.name, async () => {
    try {
      await ctx.api.update("systemforms", form.id, { formxml: xml }, form.etag);
    } catch (e) {
      if (e instanceof WebApiError && e.status === 412) {
        throw new SetupError(
          step,
          form.name,
          "someone saved the form while setup was changing it; setup did not overwrite that change",
          "run setup again: it reads the form anew",
        );
      }
      throw e;
    }
  });
}

/**
 * The placement on one table: where the table has CleverReach's declines (contact, lead), the
 * control's second bound property takes that column, so the form shows them (pcf-checklist/README.md,
 * "CleverReach's declines").
 */
function placementFor(p: ChecklistPlacement, table: string, ctx: StepContext): ChecklistPlacement {
  const hasDeclines = product.extensions.some((x) => x.table.logicalName === table && x.columns.some((c) => c.schemaName === COLUMN_NAMES.cleverReachDeclines));
  const [declines] = ctx.zip.customControls[0]?.otherBound ?? [];
  return hasDeclines && declines ? { ...p, alsoBound: [{ property: declines, column: COLUMNS.cleverReachDeclines }] } : p;
}

/** PublishXml for the tables whose forms changed: only published forms reach users. */
async function publish(ctx: StepContext, tables: string[], step: FormStep): Promise<void> {
  if (tables.length === 0) return;
  ctx.report.changed(`publish the forms of ${tables.join(", ")}`);
  if (ctx.dryRun) return;
  const xml = `<importexportxml><entities>${tables.map((t) => `<entity>${t}</entity>`).join("")}</entities></importexportxml>`;
  await within(step, `publishing ${tables.join(", ")}`, () => ctx.api.action("PublishXml", { ParameterXml: xml }));
}

/**
 * Adds the checklist to every active main form of contact, lead, marketing list, campaign and
 * campaign activity that does not show it yet, and to those of marketing list, campaign and campaign
 * activity a "Sync log" tab with the record's sync log (one save per form), then publishes those tables. Each form is read and
 * written back with its ETag (If-Match), so a change a maker saves meanwhile is never overwritten.
 */
export async function placeOnForms(ctx: StepContext): Promise<void> {
  const { report } = ctx;
  const p = placement(ctx);
  const logs = syncLogPlacements();
  const changedTables: string[] = [];
  for (const table of checklistTables()) {
    const forms = await mainForms(ctx, table, "forms");
    if (forms.length === 0)
      report.note(`${table} has no active main form; add the checklist to your own forms by hand (README, "Adding the newsletter checklist to a form")`);
    for (const form of forms) {
      const readable = <T>(change: () => T): T => {
        try {
          return change();
        } catch (e) {
          throw new SetupError(
            "forms",
            form.name,
            `its form XML cannot be read (${(e as Error).message})`,
            "open the form in the form designer, save it, and run setup again",
          );
        }
      };
      let xml = form.xml;
      const changes: string[] = [];
      const outcome = readable(() => placeChecklist(xml, form.id, placementFor(p, table, ctx)));
      if (outcome.kind === "already there") report.unchanged(`${form.name} shows the checklist`);
      else if (outcome.kind === "bound to another component") report.note(`${form.name} shows ${p.column} with ${outcome.component}; left as the maker set it`);
      else {
        xml = outcome.xml;
        changes.push(
          `${outcome.kind === "added a tab" ? `add a "${TAB_LABEL.en}" tab with the checklist to` : "show the checklist for the column already on"} ${form.name}`,
        );
      }
      const log = logs.get(table);
      if (log) {
        const added = readable(() => placeSubgrid(xml, form.id, log));
        if (added.kind === "already there") report.unchanged(`${form.name} shows the sync log`);
        else {
          xml = added.xml;
          changes.push(`add a "${log.tabLabel.en}" tab with the record's sync log to ${form.name}`);
        }
      }
      if (changes.length === 0) continue;
      for (const c of changes) report.changed(c);
      if (!changedTables.includes(table)) changedTables.push(table);
      if (!ctx.dryRun) await save(ctx, form, xml, "forms");
    }
  }
  await publish(ctx, changedTables, "forms");
}

/**
 * Takes the checklist off the main forms again (the tab setup added, the control descriptions that
 * name the checklist), so that removing the solution is not blocked by forms that depend on it.
 */
export async function removeFromForms(ctx: StepContext): Promise<void> {
  const p = placement(ctx);
  const changedTables: string[] = [];
  for (const table of checklistTables()) {
    for (const form of await mainForms(ctx, table, "formsRemoval")) {
      let xml: string | undefined;
      const log = syncLogPlacements().get(table);
      try {
        xml = removeChecklist(form.xml, p);
        const withoutLog = log && removeSubgrid(xml ?? form.xml, log);
        if (withoutLog !== undefined) xml = withoutLog;
      } catch (e) {
        throw new SetupError(
          "formsRemoval",
          form.name,
          `its form XML cannot be read (${(e as Error).message})`,
          "open the form in the form designer, save it, and run setup again",
        );
      }
      if (xml === undefined) {
        ctx.report.unchanged(`${form.name} does not show the checklist${log ? " or the sync log" : ""}`);
        continue;
      }
      ctx.report.changed(`take the checklist${log ? " and the sync log" : ""} off ${form.name}`);
      if (!changedTables.includes(table)) changedTables.push(table);
      if (!ctx.dryRun) await save(ctx, form, xml, "formsRemoval");
    }
  }
  await publish(ctx, changedTables, "formsRemoval");
}
