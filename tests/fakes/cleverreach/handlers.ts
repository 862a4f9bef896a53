import { badRequest, notFound } from "./errors";
import type { Attribute, Group, Reaction } from "./model";
import {
  presentAccount,
  presentAttribute,
  presentBlacklistEntry,
  presentEvent,
  presentForm,
  presentGroup,
  presentMailing,
  presentReceiver,
  presentReport,
} from "./present";
import { applyWrite, isActive, upsertReceivers, type ReceiverWrite } from "./receivers";
import type { Args } from "./requestCheck";
import type { Store } from "./store";

/**
 * What each operation does. The source of a behaviour is named beside it; "no source" marks a
 * choice the fake makes where the sources are silent, always the stricter of the plausible ones.
 * Sources: CleverReach's PHP SDK (cleverreach/php-sdk), the integration core and its fixtures
 * (blueDigit/CleverReach_IntegrationCore), Apteco's plugin (Apteco/AptecoPSFramework), the
 * explorer's parameter tables as MindCloud transcribed them (mindcloud-inc/universal-api-reference),
 * rdoepner/cleverreach, baorv/cleverreach, andremueller/go-cleverreach.
 */

export interface HandlerContext {
  store: Store;
  args: Args;
  body: unknown;
  /** Seconds the calling token has left. */
  tokenTtl: number;
}

type Handler = (ctx: HandlerContext) => unknown;

const num = (v: Args[string] | undefined): number | undefined => (typeof v === "number" ? v : undefined);
const text = (v: Args[string] | undefined): string | undefined => (v === undefined ? undefined : String(v));
const groupOf = (ctx: HandlerContext): number => num(ctx.args.group_id) as number;

/** `page` counts from 0 and `pagesize` defaults to 50 (SDK GroupsService::getReceivers). */
function paginate<T>(rows: T[], args: Args, defaultSize: number): T[] {
  const page = num(args.page) ?? 0;
  const size = num(args.pagesize) ?? defaultSize;
  return rows.slice(page * size, page * size + size);
}

/**
 * `order_by` is "field to order by, append 'asc' or 'desc' with a space" (MindCloud
 * list-group-receivers.md) and the SDK passes it on (GroupsService::getReceivers, 'email ASC' in its
 * test), but no source shows what CleverReach does with it: no answer sorted by it, no list of the
 * fields it accepts. So the fake checks its form and then IGNORES it (the stricter choice): a flow
 * that counts on receivers coming newest first, or in any order, fails here as it could there. The
 * order the fake answers in is its storage order, the same from page to page.
 */
function unprovenOrder<T>(rows: T[], order: string | undefined): T[] {
  if (!order) return rows;
  const [, dir = "ASC", ...rest] = order.trim().split(/\s+/);
  if (rest.length > 0 || !/^(asc|desc)$/i.test(dir)) throw badRequest(`cannot sort by "${order}"`);
  return rows;
}

/** Groups sort only by `created` or `changed`, optionally ASC/DESC (SDK GroupSortField; MindCloud list-groups.md). */
function sortGroups(groups: Group[], order: string | undefined): Group[] {
  if (order === undefined) return groups;
  const m = /^(created|changed)(?:\s+(asc|desc))?$/i.exec(order.trim());
  if (!m) throw badRequest(`order must be "created" or "changed", optionally followed by ASC or DESC, not "${order}"`);
  const key = (g: Group): number => (m[1]?.toLowerCase() === "created" ? g.stamp : g.last_changed);
  const sign = m[2]?.toUpperCase() === "DESC" ? -1 : 1;
  return [...groups].sort((a, b) => (key(a) - key(b) || a.id - b.id) * sign);
}

/** Field names and kinds of Apteco's sample (Get-GroupStats.ps1): counts, a fractional avg_points, time. */
function groupStats(ctx: HandlerContext): Record<string, number> {
  const members = [...ctx.store.groupReceivers(groupOf(ctx)).values()];
  const active = members.filter(isActive).length;
  const avg = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  // Store.statsWithout: a cached answer without (some of) its counts.
  const without = ctx.store.statsWithout;
  const all: Record<string, number> = {
    total_count: members.length,
    inactive_count: members.length - active,
    active_count: active,
    bounce_count: members.filter((r) => r.bounced > 0).length,
    avg_points: avg(members.map((r) => r.points)),
    quality: Math.round(avg(members.map((r) => r.stars))),
    time: ctx.store.now(),
    order_count: members.reduce((n, r) => n + r.orders.length, 0),
  };
  return without === "all" ? {} : Object.fromEntries(Object.entries(all).filter(([k]) => !without.includes(k)));
}

/**
 * `POST forms.json/{id}/send/{activate|deactivate}` with `{email, doidata{user_ip, referer, user_agent}}`
 * (CleverReach's integration core: DoubleOptIn/Http/Proxy::sendDoubleOptInEmail, SubmitTransformer
 * keeps exactly `email` and `doidata`; clients also send `groups_id`: KaufmannDigital/CleverReach
 * CleverReachApiService::sendDoubleOptInMail). Answered with `success` (rdoepner README; metasfresh's
 * CleverReachClient says "returns the email as string", so no flow may read the answer).
 * Each send is one mail: nothing in any source deduplicates a second send (a client re-sends on
 * purpose, "erneute Bestätigung möglich"), so the fake records every one, and a flow must not send twice.
 */
function formMail(kind: "activate" | "deactivate"): Handler {
  return (ctx) => {
    const formId = num(ctx.args.form_id) as number;
    const form = ctx.store.forms.get(formId);
    if (!form) throw notFound(`form ${formId} does not exist`);
    const body = ctx.body as { email: string; groups_id?: number; doidata?: Record<string, string> };
    const groupId = body.groups_id ?? form.customer_tables_id;
    // A form belongs to one group (Form DTO `customer_tables_id`; the integration core's
    // CreateDefaultFormTask uses the form whose customer_tables_id is its group). No source says what
    // a groups_id of another group does: the fake refuses it (the stricter choice).
    if (groupId !== form.customer_tables_id) throw badRequest(`form ${formId} belongs to group ${form.customer_tables_id}, not to group ${groupId}`);
    // The integration core puts the receiver into the group inactive before it sends
    // (SendDoubleOptInEmailsTask::inactivateReceiver). No source says what a send for someone not in
    // the group does: the fake refuses it (the stricter choice).
    const r = ctx.store.receiver(groupId, body.email);
    if (kind === "activate") {
      // The core takes a receiver off the blacklist before it sends (whitelistInactiveReceiver), so a
      // blacklisted or deactivated address gets no mail; the fake refuses both (no source for the
      // answer), and never sends a confirmation to someone who unsubscribed.
      if (ctx.store.blacklist.has(body.email.toLowerCase())) throw badRequest(`${body.email} is on the blacklist`);
      if (r.deactivated > 0) throw badRequest(`${body.email} unsubscribed from group ${groupId}`);
    }
    ctx.store.sentFormMails.push({ formId, kind, email: body.email, groupId, ...(body.doidata ? { doidata: body.doidata } : {}), stamp: ctx.store.now() });
    return { success: true };
  };
}

/**
 * `POST forms.json/{group}/createfromtemplate/{type}` with `{name, title}` (CleverReach's integration
 * core: Form/Http/Proxy::createForm, called by CreateDefaultFormTask with type "default"); the core
 * reads only `id` from the answer and takes an empty one as a failure. The WooCommerce plugin sends its
 * double opt-in mails through the form so made (HookHandlers/class-base-handler.php
 * send_confirmation_email: `get_default_form()`), so the "default" template's form sends them.
 * Where the sources are silent, the stricter choice: no other template is known (400), a name is
 * required (400), an unknown group is 404 (as GetGroup), the answer carries the id alone (a flow
 * must not count on more). A second form of the same name is NOT refused: no source says CleverReach
 * refuses one, and a refusal would hide a flow that creates twice (the flows must avoid it themselves).
 */
function createFormFromTemplate(ctx: HandlerContext): unknown {
  const groupId = groupOf(ctx);
  ctx.store.group(groupId);
  if (ctx.args.template !== "default") throw badRequest(`unknown form template "${String(ctx.args.template)}"`);
  const body = ctx.body as { name?: string; title?: string };
  if (!body.name || body.name.trim() === "") throw badRequest("a form needs a name");
  const id = ctx.store.nextId("form");
  ctx.store.forms.set(id, { id, name: body.name, customer_tables_id: groupId });
  return { id: String(id) };
}

/**
 * The longest group name the fake accepts. No CleverReach document, SDK or integration found states a
 * limit (the integration core only refuses an empty name, Proxy::createGroup); the fake refuses longer
 * names with 400 rather than cutting them, the stricter of the plausible behaviours (a silent cut would
 * make every later comparison of the name differ). The flows cut names to fit
 * (flows/product/sync/groupOwnership.ts, GROUP_NAME_MAX; tests/sync/groupNames.test.ts).
 */
export const GROUP_NAME_LIMIT = 100;

function checkGroupName(name: string | undefined): void {
  if (!name || name.trim() === "") throw badRequest("a group needs a name");
  if (name.length > GROUP_NAME_LIMIT) throw badRequest(`group name is longer than ${GROUP_NAME_LIMIT} characters`);
}

/** One handler per connector operationId; a connector operation without a handler fails the fake's own test. */
export const handlers: Record<string, Handler> = {
  // Integration core Proxy::getUserInfo; fixture getUserInfo.json.
  GetAccount: ({ store }) => presentAccount(store.account),
  // baorv Debug `debug-v3/retrieveTTL_get`; Apteco reads `$ttl.ttl`.
  GetTokenLifetime: ({ tokenTtl }) => ({ ttl: tokenTtl }),

  // SDK GroupsService::all; the fixture getAllGroups.json is in no particular order, the fake keeps creation order.
  ListGroups: ({ store, args }) => sortGroups([...store.groups.values()], text(args.order)).map(presentGroup),
  CreateGroup: ({ store, body }) => {
    const input = body as Pick<Group, "name"> & Partial<Group>;
    checkGroupName(input.name);
    const now = store.now();
    const group: Group = {
      id: store.nextId("group"),
      name: input.name,
      receiver_info: input.receiver_info ?? "",
      locked: input.locked ?? false,
      // The core creates groups with only a name (Proxy::createGroup) and the answer has `"backup": true` (createGroup.json).
      backup: input.backup ?? true,
      stamp: now,
      last_mailing: 0,
      last_changed: now,
    };
    store.groups.set(group.id, group);
    return presentGroup(group);
  },
  GetGroup: (ctx) => presentGroup(ctx.store.group(groupOf(ctx))),
  // Path confirmed (clever_reach api_coverage.md); no source shows the body, so the definition
  // requires the whole group (GroupUpdate) and the fake refuses anything less (the request check).
  UpdateGroup: (ctx) => {
    const g = ctx.store.group(groupOf(ctx));
    checkGroupName((ctx.body as Pick<Group, "name">).name);
    Object.assign(g, ctx.body as Pick<Group, "name" | "receiver_info" | "locked" | "backup">, { last_changed: ctx.store.now() });
    return presentGroup(g);
  },
  DeleteGroup: (ctx) => {
    const g = ctx.store.group(groupOf(ctx));
    // Deletion protection. `locked` is what the original product calls "Löschschutz" (SPEC §4,
    // deletionsettings/deleteprotection: "groups created from CRM are deletion-protected"; §6.4 priority 0:
    // "the product may delete despite deletion protection", i.e. it unlocks first). No CleverReach
    // document found says more, so the fake refuses DELETE of a locked group (the stricter choice) and
    // lets everything else through: the original product fills and renames the protected groups it
    // creates, which it could not if a lock refused receiver changes or a rename.
    if (g.locked) throw badRequest(`group ${g.id} is locked (deletion protection); unlock it before deleting it`);
    ctx.store.deleteGroup(g.id);
    // No source for this answer; `true` as for the other DELETE calls (core Proxy::deleteRecipient reads "true").
    return true;
  },
  GetGroupStats: groupStats,

  // SDK GroupsService::getReceivers: type all/active/inactive/bounce, detail bits, email_list, id_list, order_by, pagesize ≤ 5000.
  ListGroupReceivers: (ctx) => {
    const { args, store } = ctx;
    let rows = [...store.groupReceivers(groupOf(ctx)).values()];
    const type = text(args.type) ?? "all";
    if (type === "active") rows = rows.filter(isActive);
    if (type === "inactive") rows = rows.filter((r) => !isActive(r));
    if (type === "bounce") rows = rows.filter((r) => r.bounced > 0);
    const emails = text(args.email_list)
      ?.split(",")
      .map((e) => e.trim().toLowerCase());
    if (emails) rows = rows.filter((r) => emails.includes(r.email.toLowerCase()));
    const ids = text(args.id_list)
      ?.split(",")
      .map((e) => Number(e.trim()));
    if (ids) rows = rows.filter((r) => ids.includes(r.id));
    rows = unprovenOrder(rows, text(args.order_by));
    return paginate(rows, args, 50).map((r) => presentReceiver(store, r, num(args.detail) ?? 0));
  },
  // Core Proxy::upsertPlus; answered with the full profiles (recipientsMassUpdate.json). Batches over 1000 answer 413 (request check).
  UpsertReceivers: (ctx) => upsertReceivers(ctx.store, groupOf(ctx), ctx.body as ReceiverWrite[]).map((r) => presentReceiver(ctx.store, r)),
  // Core Proxy::getRecipientAsArray; the answer (recipientInfo.json) carries tags, events and orders.
  GetGroupReceiver: (ctx) => presentReceiver(ctx.store, ctx.store.receiver(groupOf(ctx), String(ctx.args.pool_id)), 0, true),
  // rdoepner `put groups.json/{g}/receivers/{email}` with source, attributes, global_attributes, tags.
  UpdateGroupReceiver: (ctx) => {
    const r = ctx.store.receiver(groupOf(ctx), String(ctx.args.pool_id));
    applyWrite(ctx.store, r, ctx.body as ReceiverWrite);
    return presentReceiver(ctx.store, r, 0, true);
  },
  // Core Proxy::deleteRecipient: the answer is the text `true`; rdoepner README likewise.
  DeleteGroupReceiver: (ctx) => {
    const r = ctx.store.receiver(groupOf(ctx), String(ctx.args.pool_id));
    ctx.store.groupReceivers(groupOf(ctx)).delete(r.email.toLowerCase());
    return true;
  },
  // rdoepner; clever_reach api_coverage.md (`/activate`, `/deactivate`); answer `true`.
  ActivateGroupReceiver: (ctx) => {
    const r = ctx.store.receiver(groupOf(ctx), String(ctx.args.pool_id));
    // No source says /activate can undo a deactivation; the integration core says integrations
    // cannot re-activate a receiver with a deactivated time, so the fake applies that rule here too.
    if (r.deactivated === 0 && r.activated === 0) r.activated = ctx.store.now();
    return true;
  },
  DeactivateGroupReceiver: (ctx) => {
    const r = ctx.store.receiver(groupOf(ctx), String(ctx.args.pool_id));
    if (r.deactivated === 0) r.deactivated = ctx.store.now();
    return true;
  },
  // SDK ReceiversService::get with group_id; a single receiver's answer carries tags, events and orders (fakeRecipientInfo.json).
  GetReceiver: (ctx) => presentReceiver(ctx.store, ctx.store.findReceiver(String(ctx.args.pool_id), num(ctx.args.group_id)), 0, true),
  // baorv `receivers.json/{poolID}/events`; event fields as in recipientInfo.json and Apteco's samples.
  ListReceiverEvents: (ctx) => ctx.store.findReceiver(String(ctx.args.pool_id), num(ctx.args.group_id)).events.map(presentEvent),
  // baorv `receivers.json/{id}/orders`; order fields as the core writes them.
  ListReceiverOrders: (ctx) => ctx.store.findReceiver(String(ctx.args.pool_id), num(ctx.args.group_id)).orders.map((o) => ({ ...o })),

  // Core Proxy::getAllGlobalAttributes (`GET attributes.json`); MindCloud: group_id "leave empty for global attributes".
  ListAttributes: (ctx) => {
    const gid = num(ctx.args.group_id) ?? 0;
    if (gid !== 0) ctx.store.group(gid);
    return ctx.store.attributesOf(gid).map(presentAttribute);
  },
  // Core Proxy::createGlobalAttribute; 409 when it exists (store.createAttribute).
  CreateGlobalAttribute: (ctx) => presentAttribute(ctx.store.createAttribute(0, ctx.body as Attribute)),
  // Apteco sync-attributes.ps1; baorv Groups::createAttribute.
  CreateGroupAttribute: (ctx) => {
    ctx.store.group(groupOf(ctx));
    return presentAttribute(ctx.store.createAttribute(groupOf(ctx), ctx.body as Attribute));
  },

  // An object of lists keyed by state (go-cleverreach `Mailings{Finished, Draft}`; Apteco `$mailings.draft`).
  ListMailings: ({ store, args }) => {
    const states = ["draft", "waiting", "running", "finished"] as const;
    const wanted = text(args.state);
    const limit = num(args.limit) ?? 25;
    const out: Record<string, unknown[]> = {};
    for (const s of states) {
      if (wanted && wanted !== s) continue;
      out[s] = [...store.mailings.values()]
        .filter((m) => m.state === s)
        .slice(0, limit)
        .map(presentMailing);
    }
    return out;
  },
  GetMailing: ({ store, args }) => {
    const m = store.mailings.get(num(args.mailing_id) as number);
    if (!m) throw notFound(`mailing ${String(args.mailing_id)} does not exist`);
    return presentMailing(m);
  },
  // MindCloud list-reports.md: start "requires end date", end "requires start date", group_id, page, pagesize (≤ 100: Apteco).
  ListReports: ({ store, args }) => {
    const start = num(args.start);
    const end = num(args.end);
    if ((start === undefined) !== (end === undefined)) throw badRequest("start and end are only accepted together");
    const gid = num(args.group_id);
    const rows = [...store.reports.values()]
      .filter((r) => start === undefined || end === undefined || (r.started >= start && r.started <= end))
      .filter((r) => gid === undefined || r.groups_id === gid)
      .sort((a, b) => a.id - b.id);
    return paginate(rows, args, 25).map(presentReport);
  },
  // Apteco get-response.ps1: reports/{id}/receivers/{state} with from, to, paged; MindCloud adds detail.
  ListReportReceivers: ({ store, args }) => {
    const report = store.reports.get(num(args.report_id) as number);
    if (!report) throw notFound(`report ${String(args.report_id)} does not exist`);
    const from = num(args.from) ?? 0;
    const to = num(args.to) ?? Number.MAX_SAFE_INTEGER;
    const hits = (report.reactions[args.reaction as Reaction] ?? []).filter((h) => h.stamp >= from && h.stamp <= to);
    const members = store.receivers.get(report.groups_id);
    return paginate(hits, args, 50).map((h) => {
      const r = members?.get(h.email.toLowerCase());
      // No source for a receiver no longer in the group; the fake gives the address alone, the
      // stricter choice for a flow (it must not count on an id).
      return r ? presentReceiver(store, r, num(args.detail) ?? 0) : { email: h.email };
    });
  },

  // baorv `forms-v3/list_get`; no parameters (MindCloud list-forms.md).
  ListForms: ({ store }) => [...store.forms.values()].map(presentForm),
  // Integration core Form/Http/Proxy::getForms: `groups.json/$groupId/forms`. No source for an unknown group; 404 as for GetGroup.
  ListGroupForms: (ctx) => {
    const gid = groupOf(ctx);
    ctx.store.group(gid);
    return [...ctx.store.forms.values()].filter((f) => f.customer_tables_id === gid).map(presentForm);
  },
  // Integration core Form/Http/Proxy::getForm: `forms.json/$formId`, read into the Form DTO. No source for an unknown form; 404 as for GetGroup.
  GetForm: ({ store, args }) => {
    const form = store.forms.get(num(args.form_id) as number);
    if (!form) throw notFound(`form ${String(args.form_id)} does not exist`);
    return presentForm(form);
  },
  CreateFormFromTemplate: createFormFromTemplate,
  SendDoubleOptInMail: formMail("activate"),
  SendDoubleOptOutMail: formMail("deactivate"),

  // Core `get('blacklist.json')`, `post('blacklist.json/', {email, comment})`, `delete("blacklist.json/$email")`.
  ListBlacklist: ({ store }) => [...store.blacklist.values()].map(presentBlacklistEntry),
  AddToBlacklist: ({ store, body }) => {
    const input = body as { email: string; comment?: string };
    const entry = { email: input.email, comment: input.comment ?? "", stamp: store.now() };
    store.blacklist.set(input.email.toLowerCase(), entry);
    return presentBlacklistEntry(entry);
  },
  RemoveFromBlacklist: ({ store, args }) => {
    const key = String(args.email).toLowerCase();
    // No source for removing an address not listed; 404 (the SDK maps 404 to ResourceNotFoundException).
    if (!store.blacklist.has(key)) throw notFound(`${String(args.email)} is not on the blacklist`);
    store.blacklist.delete(key);
    return true;
  },
};
