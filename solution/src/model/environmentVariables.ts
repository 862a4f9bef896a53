import { label } from "../labels";
import { prefixed } from "./prefix";
import type { EnvironmentVariable } from "./types";

/** The seed manual's example (section 6), the default newsletter types. */
export const SEED_NEWSLETTER_TYPES =
  '[{"id":0,"state":0,"description":"Information","modifiedby":"","modifiedon":"","position":1},' +
  '{"id":1,"state":0,"description":"Werbung und Spiele","modifiedby":"","modifiedon":"","position":0}]';

const yesNo = (v: boolean): string => (v ? "yes" : "no");

/**
 * The settings (README.md, "Environment variables"; solution/src/model/README.md) as environment variables, keyed by the name flows use to ask for one
 * (`ENV.groupPrefix`), so that no flow spells a schema name.
 */
export const ENV = {
  deleteGroupOnRecordDelete: {
    schemaName: prefixed("DeleteGroupOnRecordDelete"),
    type: "boolean",
    defaultValue: yesNo(false),
    original: "deletionsettings/deletecampaign",
    displayName: label("CleverReach: delete group when its record is deleted", "CleverReach: Gruppe löschen, wenn der Datensatz gelöscht wird"),
    description: label(
      "Yes: deleting a synced list, campaign or campaign activity deletes its CleverReach group (subject to deletion protection and priority).",
      "Ja: Wird eine synchronisierte Liste, Kampagne oder Kampagnenaktivität gelöscht, wird ihre CleverReach-Gruppe gelöscht (abhängig von Lösch-Schutz und Priorität).",
    ),
  },
  deleteGroupOnSyncOff: {
    schemaName: prefixed("DeleteGroupOnSyncOff"),
    type: "boolean",
    defaultValue: yesNo(false),
    original: "deletionsettings/deletedisablestynchronization",
    displayName: label("CleverReach: delete group when sync is turned off", "CleverReach: Gruppe löschen, wenn die Synchronisation ausgeschaltet wird"),
    description: label(
      'Yes: setting "Sync with CleverReach" to No deletes the group (subject to deletion protection and priority).',
      'Ja: Wird "Mit CleverReach synchronisieren" auf Nein gesetzt, wird die Gruppe gelöscht (abhängig von Lösch-Schutz und Priorität).',
    ),
  },
  deletionProtection: {
    schemaName: prefixed("DeletionProtection"),
    type: "boolean",
    defaultValue: yesNo(true),
    original: "deletionsettings/deleteprotection",
    displayName: label("CleverReach: deletion protection for groups", "CleverReach: Lösch-Schutz für Gruppen"),
    description: label("Yes: groups created from the CRM are deletion-protected.", "Ja: Aus dem CRM erstellte Gruppen sind vor dem Löschen geschützt."),
  },
  allowLargeRemovals: {
    schemaName: prefixed("AllowLargeRemovals"),
    type: "boolean",
    defaultValue: yesNo(false),
    original: "none (new: the safety valve of a full sync)",
    displayName: label("CleverReach: allow large removals", "CleverReach: große Entfernungen erlauben"),
    description: label(
      "Yes: a sync may remove more than half of a group of more than 100 receivers without a confirmation on the record. No (default): it stops before removing anyone and asks.",
      "Ja: Eine Synchronisation darf mehr als die Hälfte einer Gruppe mit mehr als 100 Empfängern ohne Bestätigung am Datensatz entfernen. Nein (Standard): Sie hält vor dem Entfernen an und fragt nach.",
    ),
  },
  deletionPriority: {
    schemaName: prefixed("DeletionPriority"),
    type: "number",
    defaultValue: "1",
    original: "deletionsettings/priority",
    displayName: label("CleverReach: deletion priority (0, 1 or 2)", "CleverReach: Priorität des Lösch-Schutzes (0, 1 oder 2)"),
    description: label(
      "0: may delete despite protection. 1: never deletes while protection is on. 2: deletes only when the record is deleted and delete-on-record-delete is on.",
      "0: darf trotz Lösch-Schutz löschen. 1: löscht nie bei aktivem Lösch-Schutz. 2: löscht nur, wenn der Datensatz gelöscht wird und das Löschen dafür eingeschaltet ist.",
    ),
  },
  doubleOptInForm: {
    schemaName: prefixed("DoubleOptInForm"),
    type: "string",
    // Dataverse refuses an empty value ("Environment variable value can't be an empty string"): 0 is "no form".
    defaultValue: "0",
    original: "(new: double opt-in, issue 18)",
    displayName: label("CleverReach: double opt-in form (id)", "CleverReach: Double-Opt-In-Formular (ID)"),
    description: label(
      "0 (default) or empty: no double opt-in, new receivers are active at once. The id of a CleverReach double opt-in form: a person who newly qualifies is added inactive and CleverReach sends them a confirmation mail, once, through this form in its own group and through a form of the same name in every other synced group (created from CleverReach's standard template when missing); they become active when they click its link.",
      "0 (Standard) oder leer: kein Double-Opt-In, neue Empfänger sind sofort aktiv. Die ID eines CleverReach-Double-Opt-In-Formulars: Wer neu hinzukommt, wird inaktiv eingetragen und erhält einmal eine Bestätigungsmail, über dieses Formular in seiner Gruppe und in jeder anderen synchronisierten Gruppe über ein gleichnamiges Formular (fehlt es, wird es aus CleverReachs Standardvorlage angelegt); aktiv wird er mit dem Klick auf ihren Link.",
    ),
  },
  fieldMapping: {
    schemaName: prefixed("FieldMapping"),
    // Text, not JSON: the flows parse it themselves, so that a value that is not JSON is an error on
    // the record that names this variable, not a run refused before it starts (a flow parameter of
    // type Object refuses what is not an object: WorkflowParametersValueTypeMismatch).
    type: "string",
    defaultValue: "{}",
    original: "(new: field mapping, issue 18)",
    displayName: label("CleverReach: field mapping", "CleverReach: Feldzuordnung"),
    description: label(
      'JSON: CRM columns sent as CleverReach attributes per table, on top of e-mail, salutation, names and company, e.g. {"contact": {"jobtitle": "position"}, "lead": {"jobtitle": "position"}}. At most 10 per table. {} or empty: none.',
      'JSON: CRM-Spalten, die zusätzlich zu E-Mail, Anrede, Namen und Firma als CleverReach-Attribute gesendet werden, je Tabelle, z. B. {"contact": {"jobtitle": "position"}, "lead": {"jobtitle": "position"}}. Höchstens 10 je Tabelle. {} oder leer: keine.',
    ),
  },
  groupPrefix: {
    schemaName: prefixed("GroupPrefix"),
    type: "string",
    defaultValue: "CRM - ",
    original: "groupsetting/groupprefix",
    displayName: label("CleverReach: group name prefix", "CleverReach: Präfix für Gruppennamen"),
    description: label(
      "Put before the record's name to form the CleverReach group name.",
      "Wird dem Namen des Datensatzes im CleverReach-Gruppennamen vorangestellt.",
    ),
  },
  importUnmatched: {
    schemaName: prefixed("ImportUnmatched"),
    type: "string",
    defaultValue: "create",
    original: "(new: importing a CleverReach group into a marketing list)",
    displayName: label("CleverReach: import, receivers not in the CRM (create or log)", "CleverReach: Import, Empfänger nicht im CRM (create oder log)"),
    description: label(
      "Import from CleverReach: create (default) makes a contact or lead for each active receiver no one in the CRM has; log only lists them in the sync log, and the sync that follows the import removes them from the group.",
      "Aus CleverReach importieren: create (Standard) legt für jeden aktiven Empfänger, den niemand im CRM hat, einen Kontakt oder Lead an; log listet sie nur im Synchronisationsprotokoll auf, und die Synchronisation nach dem Import entfernt sie aus der Gruppe.",
    ),
  },
  mailingHistorySends: {
    schemaName: prefixed("MailingHistorySends"),
    type: "boolean",
    defaultValue: yesNo(true),
    original: "(new: what mailing history costs)",
    displayName: label("CleverReach: mailing history records every send", "CleverReach: Mailing-Verlauf erfasst jeden Versand"),
    description: label(
      "Yes: a CleverReach Mailing row for every recipient of every mailing (one Dataverse write each), with opens and clicks. No: rows only for recipients who opened or clicked.",
      "Ja: eine CleverReach-Mailing-Zeile für jeden Empfänger jedes Mailings (je ein Dataverse-Schreibvorgang), mit Öffnungen und Klicks. Nein: Zeilen nur für Empfänger, die geöffnet oder geklickt haben.",
    ),
  },
  newsletterTypes: {
    schemaName: prefixed("NewsletterTypes"),
    type: "json",
    defaultValue: SEED_NEWSLETTER_TYPES,
    original: "newslettertypsettings/typjson",
    displayName: label("CleverReach: newsletter types", "CleverReach: Newsletter-Typen"),
    description: label(
      "JSON array of newsletter types: id (unique integer), description (label), position (row order from 0).",
      "JSON-Array der Newsletter-Typen: id (eindeutige Ganzzahl), description (Beschriftung), position (Reihenfolge ab 0).",
    ),
  },
  nightlySyncHour: {
    schemaName: prefixed("NightlySyncHour"),
    type: "number",
    defaultValue: "2",
    original: "(new: the nightly safety net)",
    displayName: label("CleverReach: hour of the nightly sync (UTC)", "CleverReach: Stunde der nächtlichen Synchronisation (UTC)"),
    description: label(
      "Hour of the day (0-23, UTC) at which every synced list, campaign and campaign activity is synced in full, catching up with changes no event reports.",
      "Stunde (0-23, UTC), zu der jede synchronisierte Liste, Kampagne und Kampagnenaktivität vollständig synchronisiert wird; holt Änderungen nach, die kein Ereignis meldet.",
    ),
  },
  syncLogRetentionDays: {
    schemaName: prefixed("SyncLogRetentionDays"),
    type: "number",
    defaultValue: "30",
    original: "(new: the sync log)",
    displayName: label("CleverReach: days the sync log is kept (7, 30 or 90)", "CleverReach: Tage, die das Synchronisationsprotokoll bleibt (7, 30 oder 90)"),
    description: label(
      "Sync log entries older than this many days (7, 30 or 90) are deleted every day.",
      "Einträge des Synchronisationsprotokolls, die älter als so viele Tage sind (7, 30 oder 90), werden täglich gelöscht.",
    ),
  },
  transferTables: {
    schemaName: prefixed("TransferTables"),
    type: "json",
    defaultValue: '{"tables":["contact","account","lead"]}',
    original: "transfersettings/entity",
    displayName: label("CleverReach: tables transferred", "CleverReach: übertragene Tabellen"),
    description: label(
      'JSON object {"tables": [...]} naming the tables whose people become receivers: contact, account (its primary contact), lead. The older array form is read too.',
      'JSON-Objekt {"tables": [...]} mit den Tabellen, deren Personen Empfänger werden: contact, account (deren primärer Kontakt), lead. Die ältere Array-Form wird auch gelesen.',
    ),
  },
} satisfies Record<string, EnvironmentVariable>;

export type EnvironmentVariableKey = keyof typeof ENV;

/** In the order the solution lists them. */
export const environmentVariables: EnvironmentVariable[] = Object.values(ENV);
