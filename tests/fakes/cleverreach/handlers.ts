import { badRequest, notFound } from "./errors";
import type { Attribute, Group, Reaction } from "./model";
import { applyWrite, isActive, present, upsertReceivers, type ReceiverWrite } from "./receivers";
import type { Args } from "./requestCheck";
import type { Store } from "./store";

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

function paginate<T>(rows: T[], args: Args, defaultSize: number): T[] {
  const page = num(args.page) ?? 0;
  const size = num(args.pagesize) ?? defaultSize;
  return rows.slice(page * size, page * size + size);
}

function sortBy<T extends object>(rows: T[], order: string | undefined): T[] {
  if (!order) return rows;
  const [field = "id", dir = "ASC"] = order.trim().split(/\s+/);
  const sign = dir.toUpperCase() === "DESC" ? -1 : 1;
  if (!rows.every((r) => field in r)) throw badRequest(`cannot sort by ${field}`);
  return [...rows].sort((a, b) => {
    const x = (a as Record<string, unknown>)[field];
    const y = (b as Record<string, unknown>)[field];
    return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y))) * sign;
  });
}

function groupStats(ctx: HandlerContext): Record<string, number> {
  const members = [...ctx.store.groupReceivers(groupOf(ctx)).values()];
  const active = members.filter(isActive).length;
  const avg = (xs: number[]): number => (xs.length === 0 ? 0 : Math.floor(xs.reduce((a, b) => a + b, 0) / xs.length));
  return {
    total_count: members.length,
    active_count: active,
    inactive_count: members.length - active,
    bounce_count: members.filter((r) => r.bounced > 0).length,
    order_count: members.reduce((n, r) => n + r.orders.length, 0),
    avg_points: avg(members.map((r) => r.points)),
    quality: avg(members.map((r) => r.stars)),
    time: ctx.store.now(),
  };
}

function formMail(kind: "activate" | "deactivate"): Handler {
  return (ctx) => {
    const formId = num(ctx.args.form_id) as number;
    const form = ctx.store.forms.get(formId);
    if (!form) throw notFound(`form ${formId} does not exist`);
    const body = ctx.body as { email: string; groups_id?: number; doidata?: Record<string, string> };
    const groupId = body.groups_id ?? form.customer_tables_id;
    // The receiver must already be in the group: the mail confirms an existing (inactive) entry.
    ctx.store.receiver(groupId, body.email);
    ctx.store.sentFormMails.push({ formId, kind, email: body.email, groupId, ...(body.doidata ? { doidata: body.doidata } : {}), stamp: ctx.store.now() });
    return { success: true };
  };
}

/** One handler per connector operationId; a connector operation without a handler fails the fake's own test. */
export const handlers: Record<string, Handler> = {
  GetAccount: ({ store }) => ({ ...store.account }),
  GetTokenLifetime: ({ tokenTtl }) => ({ ttl: tokenTtl }),

  ListGroups: ({ store, args }) => sortBy([...store.groups.values()], text(args.order) ?? "id ASC").map((g) => ({ ...g })),
  CreateGroup: ({ store, body }) => {
    const input = body as Pick<Group, "name"> & Partial<Group>;
    const now = store.now();
    const group: Group = {
      id: store.nextId("group"),
      name: input.name,
      receiver_info: input.receiver_info ?? "",
      locked: input.locked ?? false,
      backup: input.backup ?? false,
      stamp: now,
      last_mailing: 0,
      last_changed: now,
    };
    store.groups.set(group.id, group);
    return { ...group };
  },
  GetGroup: (ctx) => ({ ...ctx.store.group(groupOf(ctx)) }),
  UpdateGroup: (ctx) => {
    const g = ctx.store.group(groupOf(ctx));
    Object.assign(g, ctx.body as Partial<Group>, { last_changed: ctx.store.now() });
    return { ...g };
  },
  DeleteGroup: (ctx) => {
    ctx.store.deleteGroup(groupOf(ctx));
    return true;
  },
  GetGroupStats: groupStats,

  ListGroupReceivers: (ctx) => {
    const { args, store } = ctx;
    let rows = [...store.groupReceivers(groupOf(ctx)).values()];
    const type = text(args.type) ?? "all";
    if (type === "active") rows = rows.filter(isActive);
    if (type === "inactive") rows = rows.filter((r) => !isActive(r));
    if (type === "bounce") rows = rows.filter((r) => r.bounced > 0);
    const emails = text(args.email_list)?.split(",").map((e) => e.trim().toLowerCase());
    if (emails) rows = rows.filter((r) => emails.includes(r.email.toLowerCase()));
    const ids = text(args.id_list)?.split(",").map((e) => Number(e.trim()));
    if (ids) rows = rows.filter((r) => ids.includes(r.id));
    rows = sortBy(rows, text(args.order_by) ?? "id ASC");
    return paginate(rows, args, 50).map((r) => present(store, r, num(args.detail) ?? 0));
  },
  UpsertReceivers: (ctx) => upsertReceivers(ctx.store, groupOf(ctx), ctx.body as ReceiverWrite[]).map((r) => present(ctx.store, r)),
  GetGroupReceiver: (ctx) => present(ctx.store, ctx.store.receiver(groupOf(ctx), String(ctx.args.pool_id)), num(ctx.args.detail) ?? 0),
  UpdateGroupReceiver: (ctx) => {
    const r = ctx.store.receiver(groupOf(ctx), String(ctx.args.pool_id));
    applyWrite(ctx.store, r, ctx.body as ReceiverWrite);
    return present(ctx.store, r);
  },
  DeleteGroupReceiver: (ctx) => {
    const r = ctx.store.receiver(groupOf(ctx), String(ctx.args.pool_id));
    ctx.store.groupReceivers(groupOf(ctx)).delete(r.email.toLowerCase());
    return true;
  },
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
  GetReceiver: (ctx) => present(ctx.store, ctx.store.findReceiver(String(ctx.args.pool_id), num(ctx.args.group_id)), num(ctx.args.detail) ?? 0),
  ListReceiverEvents: (ctx) => ctx.store.findReceiver(String(ctx.args.pool_id), num(ctx.args.group_id)).events.map((e) => ({ ...e })),
  ListReceiverOrders: (ctx) => ctx.store.findReceiver(String(ctx.args.pool_id), num(ctx.args.group_id)).orders.map((o) => ({ ...o })),

  ListAttributes: (ctx) => {
    const gid = num(ctx.args.group_id) ?? 0;
    if (gid !== 0) ctx.store.group(gid);
    return ctx.store.attributesOf(gid).map((a) => ({ ...a }));
  },
  CreateGlobalAttribute: (ctx) => ({ ...ctx.store.createAttribute(0, ctx.body as Attribute) }),
  CreateGroupAttribute: (ctx) => {
    ctx.store.group(groupOf(ctx));
    return { ...ctx.store.createAttribute(groupOf(ctx), ctx.body as Attribute) };
  },

  ListMailings: ({ store, args }) => {
    const states = ["draft", "waiting", "running", "finished"] as const;
    const wanted = text(args.state);
    const limit = num(args.limit) ?? 25;
    const out: Record<string, unknown[]> = {};
    for (const s of states) {
      if (wanted && wanted !== s) continue;
      out[s] = [...store.mailings.values()].filter((m) => m.state === s).slice(0, limit).map((m) => ({ ...m }));
    }
    return out;
  },
  GetMailing: ({ store, args }) => {
    const m = store.mailings.get(num(args.mailing_id) as number);
    if (!m) throw notFound(`mailing ${String(args.mailing_id)} does not exist`);
    return { ...m };
  },
  ListReports: ({ store, args }) => {
    const start = num(args.start) ?? 0;
    const end = num(args.end) ?? Number.MAX_SAFE_INTEGER;
    const rows = [...store.reports.values()].filter((r) => r.started >= start && r.started <= end).sort((a, b) => a.id - b.id);
    return paginate(rows, args, 25).map((r) => ({
      id: r.id,
      name: r.name,
      subject: r.subject,
      started: r.started,
      finished: r.finished,
      groups_id: r.groups_id,
      receivers_count: r.reactions.sent?.length ?? 0,
    }));
  },
  ListReportReceivers: ({ store, args }) => {
    const report = store.reports.get(num(args.report_id) as number);
    if (!report) throw notFound(`report ${String(args.report_id)} does not exist`);
    const from = num(args.from) ?? 0;
    const to = num(args.to) ?? Number.MAX_SAFE_INTEGER;
    const hits = (report.reactions[args.reaction as Reaction] ?? []).filter((h) => h.stamp >= from && h.stamp <= to);
    const members = store.receivers.get(report.groups_id);
    return paginate(hits, args, 50).map((h) => {
      const r = members?.get(h.email.toLowerCase());
      return r ? present(store, r, num(args.detail) ?? 0) : { email: h.email };
    });
  },

  ListForms: ({ store, args }) => {
    const gid = num(args.group_id);
    return [...store.forms.values()].filter((f) => gid === undefined || f.customer_tables_id === gid).map((f) => ({ ...f }));
  },
  SendDoubleOptInMail: formMail("activate"),
  SendDoubleOptOutMail: formMail("deactivate"),

  ListBlacklist: ({ store }) => [...store.blacklist.values()].map((b) => ({ ...b })),
  AddToBlacklist: ({ store, body }) => {
    const input = body as { email: string; comment?: string };
    const entry = { email: input.email, comment: input.comment ?? "", stamp: store.now() };
    store.blacklist.set(input.email.toLowerCase(), entry);
    return { ...entry };
  },
  RemoveFromBlacklist: ({ store, args }) => {
    const key = String(args.email).toLowerCase();
    if (!store.blacklist.has(key)) throw notFound(`${String(args.email)} is not on the blacklist`);
    store.blacklist.delete(key);
    return true;
  },
};
