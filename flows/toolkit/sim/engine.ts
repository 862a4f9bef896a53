import type { FlowArtifact } from "../builder/flow";
import { parameterValueProblem, type FlowClientData, type RetryPolicy, type RunStatus, type WdlAction, type WdlTrigger } from "../wdl";
import { DATAVERSE_API } from "../builder/dataverse";
import { buildRequest, DispatchError, type Caller, type ConnectorBinding, type HttpRequest, type HttpResponse } from "./dispatch";
import { evaluateString, evaluateValue, ExpressionError, type EvaluationScope, type PureFunction } from "./evaluate";
import { CUSTOM_CONNECTOR_RATE, DATAVERSE_CONNECTOR_RATE, LIMIT_MESSAGES, rateLimitMessage, RUN_LIMITS, type CallRate } from "./limits";
import { jsonBytes, larger, NOTHING, sizeOf, type Largest, type Size } from "./measure";

/**
 * Runs a flow definition the way Power Automate does, against fake services: runAfter with
 * Succeeded/Failed/Skipped/TimedOut, scopes and result(), conditions, switches, loops, variables,
 * data operations, Terminate, child flows, retry and pagination policies, Delay. Time is virtual:
 * waits for retries and for connection rate limits move a clock, nothing sleeps; calls and actions
 * take no virtual time, so a run's virtual duration is the least the platform could take. A Delay
 * ends only when no call of any run is with a service: time passes while everything waits, so a
 * run that polls for another run's work sees that work done, however slow the machine.
 *
 * The platform's run-time limits (./limits.ts) hold: strings over the expression evaluation limit,
 * variables over their item and byte caps and loops over their item cap fail their action; List
 * rows pagination stops at its threshold without saying so; connections are throttled per sliding
 * window. Every run reports how large its values and variables grew (RunMeasures).
 */

export interface ActionResult {
  name: string;
  status: RunStatus;
  inputs?: unknown;
  outputs?: unknown;
  error?: { code: string; message: string };
}

export interface RunCounts {
  /** Actions executed (skipped ones not counted; loop bodies once per iteration). */
  actions: number;
  /** HTTP calls per connector API name, retries and extra pages included. */
  calls: Record<string, number>;
  /** Calls per `<api>:<operationId>`. */
  operations: Record<string, number>;
  /** Virtual time spent waiting before retries (throttling included), in milliseconds. */
  retryWaitMs: number;
}

/** How large the run's data grew and how long it took in virtual time (child flows included). */
export interface RunMeasures {
  /** The largest input or output of one action (data operations, connector calls, child flow results). */
  largestValue: Largest;
  /** The largest any variable grew (items: the array's length, or the object's properties). */
  largestVariable: Largest;
  /** From start to end on the simulator's clock. */
  virtualMs: number;
  /** Requests the platform refused for a connection's rate limit, per API (not in `calls`). */
  throttled: Record<string, number>;
  /** List rows actions whose pagination stopped at the threshold with rows left unread. */
  truncatedLists: string[];
}

export interface RunResult {
  status: "Succeeded" | "Failed" | "Cancelled";
  error?: { code: string; message: string };
  /** Results of the top-level actions (and, for inspection, the last result of every action). */
  actions: Map<string, ActionResult>;
  response?: { statusCode: number; body: unknown };
  counts: RunCounts;
  measures: RunMeasures;
}

export interface SimulatorOptions {
  /** Bindings by connector API name (`shared_commondataserviceforapps`, our custom API name). */
  connectors: Record<string, ConnectorBinding>;
  functions: Record<string, PureFunction>;
  /** Flows a `Workflow` (child flow) action may call, by workflow id. */
  flows?: FlowArtifact[];
  /** Environment variable values by schema name; defaults come from the definition. */
  environment?: Record<string, unknown>;
  /** The virtual clock to run on; simulators given the same clock share virtual time and Delays. */
  clock?: VirtualClock;
  /**
   * Sees every connector call before it reaches its service (each attempt of a retried call
   * separately). Tests use it to hold a call, to order calls of runs that overlap, or to lose an
   * answer after the service carried out the write; `send` reaches the service.
   */
  intercept?: (call: InterceptedCall, send: () => Promise<HttpResponse>) => Promise<HttpResponse>;
}

/** One attempt of a connector call, as an interceptor sees it. */
export interface InterceptedCall {
  api: string;
  operationId: string;
  /** The action's name (inside loops, the same name for every iteration). */
  action: string;
  /** The run making the call (`workflow().run.name`), so that a test can tell overlapping runs apart. */
  run: string;
  request: HttpRequest;
  attempt: number;
}

class Frame {
  readonly results = new Map<string, ActionResult>();
  /**
   * The actions inside this frame's Scopes, Conditions and Switches that have run: an action after
   * such a container reads them as it reads the outsideLoops ones (below), inside a loop's
   * iteration too; they are not the frame's top-level results (result() shows only those).
   */
  readonly nested = new Map<string, ActionResult>();
  constructor(
    readonly parent?: Frame,
    readonly loop?: { name: string; kind: "Foreach" | "Until"; item: unknown; index: number },
  ) {}

  find(name: string): ActionResult | undefined {
    return this.results.get(name) ?? this.nested.get(name) ?? this.parent?.find(name);
  }

  /** After a Scope, Condition or Switch ran in `inner`: its actions become readable from this frame. */
  keep(inner: Frame): void {
    for (const m of [inner.results, inner.nested]) for (const [k, v] of m) this.nested.set(k, v);
  }

  /** Whether this frame is (inside) a loop's iteration. */
  inLoop(): boolean {
    return this.loop !== undefined || (this.parent?.inLoop() ?? false);
  }

  loopNamed(name: string): Frame["loop"] {
    if (this.loop?.name === name) return this.loop;
    return this.parent?.loopNamed(name);
  }
}

class ActionFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly outputs?: unknown,
  ) {
    super(message);
  }
}

class TerminateSignal extends Error {
  constructor(
    readonly runStatus: "Succeeded" | "Failed" | "Cancelled",
    readonly runError?: { code: string; message: string },
  ) {
    super("terminated");
  }
}

const RETRYABLE = (status: number): boolean => status === 408 || status === 429 || status >= 500;
const DEFAULT_RETRY: RetryPolicy = { type: "exponential", count: 4, interval: "PT7S" };
/** Actions that hold other actions; their outputs are their children's, not values of their own. */
const CONTAINERS = new Set(["Scope", "If", "Switch", "Foreach", "Until"]);
/**
 * A "Run a Child Flow" action without a retryPolicy: Power Automate's default policy for the
 * Medium and High profiles (child flows run as Medium), "up to eight retries at exponentially
 * increasing intervals, which scale by 7 seconds" (limits-and-config.md, "Default retry policy").
 */
const CHILD_FLOW_DEFAULT_RETRY: RetryPolicy = { type: "exponential", count: 8, interval: "PT7S" };
/**
 * What the parent sees when a child flow fails before it responds. No source names the status; a
 * 5xx is the stricter choice, as the retry policy then runs the child again (408, 429 and 5xx are
 * retried: logic-apps-exception-handling.md, "Retry policies").
 */
const CHILD_FLOW_FAILED_STATUS = 502;
/**
 * Split-on limits (limits-and-config.md, "Split on items"): 100,000 items (the Medium and High
 * profiles), 100 when the trigger has concurrency control. Beyond the limit "the SplitOn capability
 * is disabled" (logic-apps-workflow-actions-triggers.md, "Change trigger concurrency"): one run gets
 * the whole body.
 */
const SPLIT_ON_LIMIT = 100000;
/**
 * Iterations at once of an "Apply to each" without a concurrency setting. Power Automate documents
 * 1 (limits-and-config.md, "Apply to each concurrency"), but answered that sequential running
 * "isn't guaranteed" without the setting (MicrosoftDocs/power-automate-docs#586); Logic Apps runs
 * 20 at once (logic-apps-limits-and-config.md). The stricter 20 is simulated, so a flow that needs
 * order must say so.
 */
const FOREACH_DEFAULT_REPETITIONS = 20;
const SPLIT_ON_LIMIT_WITH_CONCURRENCY = 100;

function durationMs(iso: string | undefined, fallback: number): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso ?? "");
  if (!m) return fallback;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}

/** A variable's size: its bytes, and as items the array's length or the object's properties. */
function variableSize(v: unknown): Size {
  const items = Array.isArray(v) ? v.length : v !== null && typeof v === "object" ? Object.keys(v).length : 0;
  return { bytes: jsonBytes(v), items };
}

/** At most `limit` holders at once; the others wait in order. */
class Slots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async hold<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export interface TriggerOutputs {
  body?: unknown;
  headers?: Record<string, string>;
}

const triggerOf = (clientData: FlowClientData): WdlTrigger | undefined => Object.values(clientData.properties.definition.triggers)[0];

/** The wait before retry `attempt + 1`: fixed, or doubling from the policy's interval. */
function retryWaitMs(policy: RetryPolicy, attempt: number): number {
  const interval = durationMs(policy.interval, 7000);
  return policy.type === "fixed" ? interval : interval * 2 ** attempt;
}

/** Milliseconds per unit of a Delay's interval (Logic Apps "Wait" action: Second … Month). */
const DELAY_UNIT_MS: Record<string, number> = {
  Second: 1000,
  Minute: 60_000,
  Hour: 3_600_000,
  Day: 86_400_000,
  Week: 7 * 86_400_000,
  Month: 30 * 86_400_000,
};

/**
 * Virtual time, shared by every run of the simulators that share it (a test's fakes share one, so
 * that runs started by different simulators wait on one clock). Retries and throttling move it at
 * once; a Delay ends only when no call of any of those runs is with a service.
 */
export class VirtualClock {
  private ms = 0;
  /** Calls with a service now (the fakes' transports, not a test's gate holding them). */
  private busy = 0;
  /** Delays not yet over, by the time they end. */
  private sleepers: Array<{ at: number; wake: () => void }> = [];
  private checking = false;

  now(): number {
    return this.ms;
  }

  /**
   * Waits until `ms` on the clock. Runs and loop iterations that wait at the same time wait
   * together, so parallel waits overlap instead of adding up.
   */
  waitUntil(ms: number): void {
    this.ms = Math.max(this.ms, ms);
  }

  /** Carries out a call with a service; while any is under way, no Delay ends. */
  async withService<T>(call: () => Promise<T>): Promise<T> {
    this.busy += 1;
    try {
      return await call();
    } finally {
      this.busy -= 1;
      this.wakeWhenIdle();
    }
  }

  /** A Delay: ends `ms` after now on the clock, once nothing else is under way. */
  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.sleepers.push({ at: this.ms + ms, wake });
      this.wakeWhenIdle();
    });
  }

  /**
   * When no call is with a service (after everything already scheduled has run), the earliest
   * Delay ends and the clock moves to its end; the run it belongs to goes on before the next one.
   */
  private wakeWhenIdle(): void {
    if (this.checking || this.sleepers.length === 0) return;
    this.checking = true;
    setImmediate(() => {
      this.checking = false;
      if (this.busy > 0 || this.sleepers.length === 0) return;
      this.sleepers.sort((x, y) => x.at - y.at);
      const next = this.sleepers.shift() as { at: number; wake: () => void };
      this.ms = Math.max(this.ms, next.at);
      next.wake();
      this.wakeWhenIdle();
    });
  }
}

export class FlowSimulator {
  private readonly clock: VirtualClock;
  /** Per connection, the times of the calls admitted in the current window, oldest first. */
  private readonly admitted = new Map<string, number[]>();
  /** Trigger concurrency control per flow: runs beyond `runs` wait (logic-apps-workflow-actions-triggers.md, "Change trigger concurrency"). */
  private readonly runSlots = new WeakMap<FlowClientData, Slots>();

  constructor(private readonly options: SimulatorOptions) {
    this.clock = options.clock ?? new VirtualClock();
  }

  /** One run with these trigger outputs. A trigger that splits its body starts one run per item: use `fire`. */
  async run(flow: FlowArtifact | FlowClientData, triggerOutputs: TriggerOutputs = {}): Promise<RunResult> {
    const clientData = ("clientData" in flow ? flow.clientData : flow) as FlowClientData;
    const splitOn = triggerOf(clientData)?.splitOn;
    if (splitOn) throw new Error(`the trigger splits its body on ${splitOn}; start this flow with fire(), which starts one run per item`);
    return this.start(clientData, triggerOutputs);
  }

  /**
   * What happens when the trigger fires with these outputs: one run, or with `splitOn` one run per
   * item of the array it names, each with the item as its trigger body ("Trigger multiple runs",
   * logic-apps-workflow-actions-triggers.md), as many at once as the trigger's concurrency allows.
   */
  async fire(flow: FlowArtifact | FlowClientData, triggerOutputs: TriggerOutputs = {}): Promise<RunResult[]> {
    const clientData = ("clientData" in flow ? flow.clientData : flow) as FlowClientData;
    const trigger = triggerOf(clientData);
    if (!trigger?.splitOn) return [await this.start(clientData, triggerOutputs)];
    const outputs = { headers: triggerOutputs.headers ?? {}, body: triggerOutputs.body ?? null };
    const items = evaluateString(trigger.splitOn, {
      functions: this.options.functions,
      context: { triggerBody: () => outputs.body, triggerOutputs: () => outputs, trigger: () => ({ outputs }) },
    });
    if (!Array.isArray(items))
      throw new Error(`the trigger's splitOn ${trigger.splitOn} must evaluate to an array, it is ${items === null ? "null" : typeof items}`);
    const limit = trigger.runtimeConfiguration?.concurrency?.runs === undefined ? SPLIT_ON_LIMIT : SPLIT_ON_LIMIT_WITH_CONCURRENCY;
    if (items.length > limit) return [await this.start(clientData, triggerOutputs)];
    return Promise.all(items.map((item) => this.start(clientData, { headers: triggerOutputs.headers, body: item })));
  }

  private start(clientData: FlowClientData, triggerOutputs: TriggerOutputs): Promise<RunResult> {
    const runs = triggerOf(clientData)?.runtimeConfiguration?.concurrency?.runs;
    const go = (): Promise<RunResult> => new Run(this, this.options, clientData, triggerOutputs).start();
    if (runs === undefined) return go();
    let slots = this.runSlots.get(clientData);
    if (!slots) {
      slots = new Slots(runs);
      this.runSlots.set(clientData, slots);
    }
    return slots.hold(go);
  }

  childFlow(id: string): FlowArtifact | undefined {
    return this.options.flows?.find((f) => f.id === id);
  }

  /** The virtual clock, in milliseconds; shared by all its runs (and with other simulators given the same clock). */
  now(): number {
    return this.clock.now();
  }

  waitUntil(ms: number): void {
    this.clock.waitUntil(ms);
  }

  withService<T>(call: () => Promise<T>): Promise<T> {
    return this.clock.withService(call);
  }

  sleep(ms: number): Promise<void> {
    return this.clock.sleep(ms);
  }

  /** Admits a call on `connection` now (0), or says how many milliseconds until the window allows it. */
  admit(connection: string, rate: CallRate): number {
    const times = this.admitted.get(connection) ?? [];
    this.admitted.set(connection, times);
    const now = this.clock.now();
    while (times.length > 0 && (times[0] as number) <= now - rate.windowMs) times.shift();
    if (times.length < rate.calls) {
      times.push(now);
      return 0;
    }
    return (times[0] as number) + rate.windowMs - now;
  }
}

/** The environment name workflow().tags.environmentName gives in the simulator. */
export const SIMULATED_ENVIRONMENT = "simulated-environment";
let runsStarted = 0;

class Run {
  private readonly variables = new Map<string, unknown>();
  /** Sizes of the variables, kept up to date on every write (appends add to them). */
  private readonly variableSizes = new Map<string, Size>();
  private readonly parameters = new Map<string, unknown>();
  private readonly counts: RunCounts = { actions: 0, calls: {}, operations: {}, retryWaitMs: 0 };
  private readonly measures: RunMeasures = { largestValue: NOTHING, largestVariable: NOTHING, virtualMs: 0, throttled: {}, truncatedLists: [] };
  private readonly startedAt: number;
  private readonly all = new Map<string, ActionResult>();
  /**
   * Results of actions that ran outside any loop, by name: an action after a Scope, Condition or
   * Switch may read the actions inside it (the designer offers their outputs as dynamic content
   * there, and Microsoft's error-handling pattern reads a scope's failed steps afterwards: "Handle
   * errors and exceptions in Azure Logic Apps", result()). An action inside a loop is only seen
   * from its own iteration; the linter refuses such a reference (reference-unreachable).
   */
  private readonly outsideLoops = new Map<string, ActionResult>();
  private response: RunResult["response"];
  /** Each run its own name, as a run history gives it (workflow().run.name). */
  private readonly runName = `run-${++runsStarted}`;

  constructor(
    private readonly sim: FlowSimulator,
    private readonly options: SimulatorOptions,
    private readonly clientData: FlowClientData,
    private readonly trigger: { body?: unknown; headers?: Record<string, string> },
  ) {
    this.startedAt = sim.now();
    for (const [name, p] of Object.entries(clientData.properties.definition.parameters)) {
      const schema = p.metadata?.schemaName;
      const override = schema !== undefined ? options.environment?.[schema] : undefined;
      this.parameters.set(name, override !== undefined ? override : p.defaultValue);
    }
  }

  async start(): Promise<RunResult> {
    // The engine type-checks parameter values before the run starts (WorkflowParametersValueTypeMismatch,
    // Azure/LogicAppsUX#2962): an environment variable whose value does not fit stops the run.
    for (const [name, p] of Object.entries(this.clientData.properties.definition.parameters)) {
      const problem = parameterValueProblem(p.type, this.parameters.get(name));
      if (problem)
        return {
          status: "Failed",
          error: { code: "WorkflowParametersValueTypeMismatch", message: `parameter '${name}': ${problem}` },
          actions: this.all,
          counts: this.counts,
          measures: this.measures,
        };
    }
    const top = new Frame();
    let status: RunResult["status"];
    let error: RunResult["error"];
    try {
      const s = await this.runActions(this.clientData.properties.definition.actions, top);
      status = s === "Failed" || s === "TimedOut" ? "Failed" : "Succeeded";
      if (status === "Failed") {
        const failed = [...this.all.values()].find((r) => r.status === "Failed" && r.error);
        error = failed?.error ? { code: failed.error.code, message: `${failed.name}: ${failed.error.message}` } : undefined;
      }
    } catch (e) {
      if (!(e instanceof TerminateSignal)) throw e;
      status = e.runStatus;
      error = e.runError;
    }
    this.measures.virtualMs = this.sim.now() - this.startedAt;
    return { status, error, actions: this.all, response: this.response, counts: this.counts, measures: this.measures };
  }

  private scope(frame: Frame, selectItem?: { item: unknown }): EvaluationScope {
    const actionResult = (name: unknown): ActionResult => {
      const r = frame.find(String(name)) ?? this.outsideLoops.get(String(name));
      if (!r) throw new ExpressionError(`the action '${String(name)}' has not run in this scope`);
      return r;
    };
    const outputsOf = (r: ActionResult): unknown => r.outputs ?? null;
    return {
      functions: this.options.functions,
      context: {
        body: ([n]) => {
          const o = outputsOf(actionResult(n));
          return o && typeof o === "object" && "body" in o ? (o as { body: unknown }).body : o;
        },
        outputs: ([n]) => outputsOf(actionResult(n)),
        actions: ([n]) => {
          const r = actionResult(n);
          return { name: r.name, status: r.status, inputs: r.inputs ?? null, outputs: r.outputs ?? null, error: r.error ?? null };
        },
        result: ([n]) => {
          const r = actionResult(n);
          return (
            (r.outputs as { children?: ActionResult[] } | undefined)?.children?.map((c) => ({
              ...c,
              inputs: c.inputs ?? null,
              outputs: c.outputs ?? null,
              error: c.error ?? null,
            })) ?? []
          );
        },
        items: ([n]) => {
          const loop = frame.loopNamed(String(n));
          if (!loop) throw new ExpressionError(`items('${String(n)}') is used outside that loop`);
          return loop.item;
        },
        item: () => {
          if (selectItem) return selectItem.item;
          let f: Frame | undefined = frame;
          while (f && !f.loop) f = f.parent;
          if (!f?.loop) throw new ExpressionError("item() is used outside a loop");
          return f.loop.item;
        },
        iterationIndexes: ([n]) => {
          const loop = frame.loopNamed(String(n));
          if (!loop) throw new ExpressionError(`iterationIndexes('${String(n)}') is used outside that loop`);
          return loop.index;
        },
        variables: ([n]) => {
          if (!this.variables.has(String(n))) throw new ExpressionError(`the variable '${String(n)}' is not initialized`);
          return this.variables.get(String(n));
        },
        parameters: ([n]) => {
          if (!this.parameters.has(String(n))) throw new ExpressionError(`the parameter '${String(n)}' is not defined`);
          return this.parameters.get(String(n));
        },
        triggerOutputs: () => ({ headers: this.trigger.headers ?? {}, body: this.trigger.body ?? null }),
        triggerBody: () => this.trigger.body ?? null,
        trigger: () => ({ outputs: { headers: this.trigger.headers ?? {}, body: this.trigger.body ?? null } }),
        // The shape Microsoft documents for workflow() ("Employ robust error handling", Power
        // Automate coding guidelines): the flow's name, tags with the environment, the run's name.
        workflow: () => ({
          name: "simulated",
          tags: { environmentName: SIMULATED_ENVIRONMENT, flowDisplayName: "simulated" },
          run: { name: this.runName },
        }),
      },
    };
  }

  /** Runs one action list in runAfter order; returns the list's status. */
  private async runActions(list: Record<string, WdlAction>, frame: Frame): Promise<RunStatus> {
    const pending = Object.keys(list);
    const done = new Map<string, RunStatus>();
    while (pending.length > 0) {
      const i = pending.findIndex((n) => Object.keys(list[n]?.runAfter ?? {}).every((d) => done.has(d)));
      if (i < 0) throw new Error(`runAfter cannot be satisfied for ${pending.join(", ")}`);
      const name = pending.splice(i, 1)[0] as string;
      const action = list[name] as WdlAction;
      const ready = Object.entries(action.runAfter ?? {}).every(([d, statuses]) => statuses.includes(done.get(d) as RunStatus));
      let result: ActionResult;
      if (!ready) {
        result = { name, status: "Skipped" };
      } else {
        this.counts.actions++;
        result = await this.runAction(name, action, frame);
        if (!CONTAINERS.has(action.type)) this.observe(name, result);
      }
      frame.results.set(name, result);
      this.all.set(name, result);
      if (!frame.inLoop()) this.outsideLoops.set(name, result);
      done.set(name, result.status);
    }
    // A failure is handled when an action that runs after it on failure did run.
    for (const [name, status] of done) {
      if (status !== "Failed" && status !== "TimedOut") continue;
      const handled = Object.entries(list).some(([other, a]) => (a.runAfter?.[name] ?? []).some((s) => s === status) && done.get(other) !== "Skipped");
      if (!handled) return "Failed";
    }
    return "Succeeded";
  }

  /** Keeps the largest input or output any action held. */
  private observe(name: string, result: ActionResult): void {
    for (const v of result.inputs === result.outputs ? [result.outputs] : [result.inputs, result.outputs]) {
      if (v === undefined || v === null) continue;
      const size = sizeOf(v);
      if (size.bytes > this.measures.largestValue.bytes) this.measures.largestValue = { ...size, where: name };
    }
  }

  /**
   * Fails the action as the platform does when a variable would grow past its caps; `held` is how
   * many items the array holds before the write (the platform reports that count).
   */
  private checkVariable(name: string, size: Size, isArray: boolean, held: number): void {
    if (isArray && size.items > RUN_LIMITS.variableItems) throw new ActionFailure("BadRequest", LIMIT_MESSAGES.variableItems(name, held));
    if (size.bytes > RUN_LIMITS.variableBytes) throw new ActionFailure("BadRequest", LIMIT_MESSAGES.variableBytes(name, size.bytes));
  }

  private recordVariable(name: string, size: Size): void {
    this.variableSizes.set(name, size);
    if (size.bytes > this.measures.largestVariable.bytes) this.measures.largestVariable = { ...size, where: name };
  }

  /** Stores a variable's new value after checking the platform's caps on it. */
  private holdVariable(name: string, value: unknown): void {
    const size = variableSize(value);
    this.checkVariable(name, size, Array.isArray(value), size.items);
    this.variables.set(name, value);
    this.recordVariable(name, size);
  }

  private async runAction(name: string, action: WdlAction, frame: Frame): Promise<ActionResult> {
    try {
      return await this.execute(name, action, frame);
    } catch (e) {
      if (e instanceof TerminateSignal) throw e;
      if (e instanceof ActionFailure) return { name, status: "Failed", outputs: e.outputs, error: { code: e.code, message: e.message } };
      if (e instanceof ExpressionError || e instanceof DispatchError) return { name, status: "Failed", error: { code: "InvalidTemplate", message: e.message } };
      if (e instanceof Error && e.name === "ExpressionFunctionError") return { name, status: "Failed", error: { code: "InvalidTemplate", message: e.message } };
      throw e;
    }
  }

  private async execute(name: string, a: WdlAction, frame: Frame): Promise<ActionResult> {
    const scope = this.scope(frame);
    const ok = (outputs?: unknown, inputs?: unknown): ActionResult => ({ name, status: "Succeeded", outputs, inputs });
    switch (a.type) {
      case "Compose": {
        const v = evaluateValue(a.inputs, scope);
        return ok(v, v);
      }
      case "InitializeVariable": {
        for (const v of (a.inputs as { variables: Array<{ name: string; type: string; value?: unknown }> }).variables) {
          const given = evaluateValue(v.value ?? null, scope);
          const value = given ?? (v.type === "array" ? [] : v.type === "string" ? "" : v.type === "integer" || v.type === "float" ? 0 : null);
          this.holdVariable(v.name, value);
        }
        return ok();
      }
      case "SetVariable":
      case "AppendToArrayVariable":
      case "AppendToStringVariable":
      case "IncrementVariable":
      case "DecrementVariable": {
        const inputs = a.inputs as { name: string; value?: unknown };
        if (!this.variables.has(inputs.name)) throw new ActionFailure("InvalidVariable", `the variable '${inputs.name}' is not initialized`);
        const value = evaluateValue(inputs.value ?? 1, scope);
        const cur = this.variables.get(inputs.name);
        const curSize = this.variableSizes.get(inputs.name) ?? variableSize(cur);
        if (a.type === "SetVariable") this.holdVariable(inputs.name, value);
        else if (a.type === "AppendToArrayVariable") {
          if (!Array.isArray(cur)) throw new ActionFailure("InvalidVariable", `'${inputs.name}' is not an array variable`);
          // An append grows the size by the item and a comma, so a long loop never re-measures the array.
          const grown = { bytes: curSize.bytes + jsonBytes(value) + (cur.length > 0 ? 1 : 0), items: cur.length + 1 };
          this.checkVariable(inputs.name, grown, true, cur.length);
          cur.push(value);
          this.recordVariable(inputs.name, grown);
        } else if (a.type === "AppendToStringVariable") this.holdVariable(inputs.name, `${String(cur)}${String(value)}`);
        else {
          if (typeof cur !== "number" || typeof value !== "number") throw new ActionFailure("InvalidVariable", `'${inputs.name}' is not a number variable`);
          this.variables.set(inputs.name, a.type === "IncrementVariable" ? cur + value : cur - value);
        }
        return ok({ body: { name: inputs.name, value: this.variables.get(inputs.name) } });
      }
      case "Scope": {
        const inner = new Frame(frame);
        const status = await this.runActions(a.actions ?? {}, inner);
        frame.keep(inner);
        return { name, status, outputs: { children: [...inner.results.values()] } };
      }
      case "If": {
        const yes = this.condition(a.expression, scope);
        const inner = new Frame(frame);
        this.markSkipped((yes ? a.else?.actions : a.actions) ?? {}, inner);
        const status = await this.runActions((yes ? a.actions : a.else?.actions) ?? {}, inner);
        frame.keep(inner);
        return { name, status, outputs: { expression: yes, children: [...inner.results.values()] } };
      }
      case "Switch": {
        const on = evaluateValue(a.expression, scope);
        const match = Object.values(a.cases ?? {}).find((c) => c.case === on);
        const inner = new Frame(frame);
        for (const c of Object.values(a.cases ?? {})) if (c !== match) this.markSkipped(c.actions, inner);
        if (match) this.markSkipped(a.default?.actions ?? {}, inner);
        const status = await this.runActions((match ? match.actions : a.default?.actions) ?? {}, inner);
        frame.keep(inner);
        return { name, status, outputs: { children: [...inner.results.values()] } };
      }
      case "Foreach": {
        const items = evaluateString(a.foreach ?? "", scope);
        if (!Array.isArray(items))
          throw new ActionFailure("InvalidTemplate", `the 'foreach' input of ${name} must be an array, it is ${items === null ? "null" : typeof items}`);
        if (items.length > RUN_LIMITS.foreachItems) throw new ActionFailure("InvalidTemplate", LIMIT_MESSAGES.foreachItems(name, items.length));
        let failed = false;
        const frames: Frame[] = [];
        const slots = new Slots(a.runtimeConfiguration?.concurrency?.repetitions ?? FOREACH_DEFAULT_REPETITIONS);
        await Promise.all(
          items.map((item, i) =>
            slots.hold(async () => {
              const inner = new Frame(frame, { name, kind: "Foreach", item, index: i });
              frames[i] = inner;
              if ((await this.runActions(a.actions ?? {}, inner)) === "Failed") failed = true;
            }),
          ),
        );
        return { name, status: failed ? "Failed" : "Succeeded", outputs: { children: frames.flatMap((f) => [...f.results.values()]) } };
      }
      case "Until": {
        const limit = a.limit?.count ?? RUN_LIMITS.untilDefaultCount;
        const defaultTimeout = durationMs(RUN_LIMITS.untilDefaultTimeout, 0);
        const timeout = durationMs(a.limit?.timeout ?? RUN_LIMITS.untilDefaultTimeout, defaultTimeout);
        const started = this.sim.now();
        let i = 0;
        let failed = false;
        let last: Frame | undefined;
        for (;;) {
          const inner = new Frame(frame, { name, kind: "Until", item: null, index: i });
          last = inner;
          if ((await this.runActions(a.actions ?? {}, inner)) === "Failed") failed = true;
          i++;
          const exit = evaluateValue(a.expression, this.scope(inner));
          if (exit === true || failed) break;
          // Either limit ends the loop without an error (RUN_LIMITS.untilDefaultCount's source).
          if (i >= limit || this.sim.now() - started >= timeout) break;
        }
        // result() of an Until: "the results from the top-level actions in the specified scoped action,
        // such as a For_each, Until, or Scope action" (Microsoft's workflow functions reference; the
        // designer's text in Azure/LogicAppsUX, TOKEN_FUNCTION_REFERENCE_RESULT). Which iterations is not
        // said: the stricter reading, the last iteration's only (a failed iteration ends the loop, so
        // it is the last).
        return { name, status: failed ? "Failed" : "Succeeded", outputs: { iterations: i, children: [...(last?.results.values() ?? [])] } };
      }
      case "Wait": {
        const inputs = evaluateValue(a.inputs, scope) as { interval?: { count?: unknown; unit?: unknown } };
        const count = Number(inputs.interval?.count);
        const unitMs = DELAY_UNIT_MS[String(inputs.interval?.unit)];
        if (!Number.isInteger(count) || count < 0 || unitMs === undefined)
          throw new ActionFailure("InvalidTemplate", `${name}: a Delay needs a whole count and a unit of ${Object.keys(DELAY_UNIT_MS).join(", ")}`);
        await this.sim.sleep(count * unitMs);
        return ok();
      }
      case "Terminate": {
        const inputs = evaluateValue(a.inputs, scope) as { runStatus: "Succeeded" | "Failed" | "Cancelled"; runError?: { code: string; message: string } };
        this.all.set(name, ok());
        throw new TerminateSignal(inputs.runStatus, inputs.runError);
      }
      case "Select": {
        const inputs = a.inputs as { from: unknown; select: unknown };
        const from = evaluateValue(inputs.from, scope);
        if (!Array.isArray(from)) throw new ActionFailure("InvalidTemplate", `the 'from' of ${name} must be an array`);
        return ok({ body: from.map((item) => evaluateValue(inputs.select, this.scope(frame, { item }))) });
      }
      case "Query": {
        const inputs = a.inputs as { from: unknown; where: string };
        const from = evaluateValue(inputs.from, scope);
        if (!Array.isArray(from)) throw new ActionFailure("InvalidTemplate", `the 'from' of ${name} must be an array`);
        return ok({ body: from.filter((item) => evaluateString(inputs.where, this.scope(frame, { item })) === true) });
      }
      case "ParseJson": {
        const inputs = a.inputs as { content: unknown };
        let content = evaluateValue(inputs.content, scope);
        if (typeof content === "string") {
          try {
            content = JSON.parse(content);
          } catch (e) {
            throw new ActionFailure("InvalidJSON", `${name}: the content is not valid JSON (${(e as Error).message})`);
          }
        }
        return ok({ body: content });
      }
      case "Response": {
        const inputs = evaluateValue(a.inputs, scope) as { statusCode: number; body: unknown };
        this.response = { statusCode: inputs.statusCode, body: inputs.body };
        return ok(inputs);
      }
      case "Workflow": {
        const inputs = a.inputs as unknown as { host: { workflowReferenceName: string }; body?: unknown; retryPolicy?: RetryPolicy };
        const child = this.sim.childFlow(inputs.host.workflowReferenceName);
        if (!child) throw new ActionFailure("WorkflowNotFound", `child flow ${inputs.host.workflowReferenceName} is not known to the simulator`);
        const body = evaluateValue(inputs.body ?? null, scope);
        const policy = inputs.retryPolicy ?? CHILD_FLOW_DEFAULT_RETRY;
        const maxRetries = policy.type === "none" ? 0 : (policy.count ?? CHILD_FLOW_DEFAULT_RETRY.count ?? 0);
        const key = `Workflow:${inputs.host.workflowReferenceName}`;
        for (let attempt = 0; ; attempt++) {
          this.counts.operations[key] = (this.counts.operations[key] ?? 0) + 1;
          const result = await this.sim.run(child, { body });
          this.mergeCounts(result.counts, result.measures);
          const status = result.response?.statusCode ?? (result.status === "Succeeded" ? 200 : CHILD_FLOW_FAILED_STATUS);
          if (RETRYABLE(status) && attempt < maxRetries) {
            const waitMs = retryWaitMs(policy, attempt);
            this.counts.retryWaitMs += waitMs;
            this.sim.waitUntil(this.sim.now() + waitMs);
            continue;
          }
          if (result.status !== "Succeeded" || status >= 400) {
            throw new ActionFailure(result.error?.code ?? "ChildFlowFailed", result.error?.message ?? "the child flow failed", {
              statusCode: status,
              body: result.response?.body ?? null,
            });
          }
          return ok({ statusCode: status, body: result.response?.body ?? null });
        }
      }
      case "OpenApiConnection":
        return this.connectorCall(name, a, scope);
      default:
        throw new ActionFailure("NotSupported", `the simulator does not run actions of type ${a.type}`);
    }
  }

  /** Actions of a branch not taken show as Skipped, as in the run history. */
  private markSkipped(list: Record<string, WdlAction>, frame: Frame): void {
    for (const [name, action] of Object.entries(list)) {
      const skipped: ActionResult = { name, status: "Skipped" };
      frame.results.set(name, skipped);
      this.all.set(name, skipped);
      this.markSkipped(action.actions ?? {}, frame);
      this.markSkipped(action.else?.actions ?? {}, frame);
      for (const c of Object.values(action.cases ?? {})) this.markSkipped(c.actions, frame);
      this.markSkipped(action.default?.actions ?? {}, frame);
    }
  }

  private mergeCounts(c: RunCounts, m: RunMeasures): void {
    this.counts.actions += c.actions;
    this.counts.retryWaitMs += c.retryWaitMs;
    for (const [k, v] of Object.entries(c.calls)) this.counts.calls[k] = (this.counts.calls[k] ?? 0) + v;
    for (const [k, v] of Object.entries(c.operations)) this.counts.operations[k] = (this.counts.operations[k] ?? 0) + v;
    this.measures.largestValue = larger(this.measures.largestValue, m.largestValue);
    this.measures.largestVariable = larger(this.measures.largestVariable, m.largestVariable);
    for (const [k, v] of Object.entries(m.throttled)) this.measures.throttled[k] = (this.measures.throttled[k] ?? 0) + v;
    this.measures.truncatedLists.push(...m.truncatedLists);
  }

  private condition(c: unknown, scope: EvaluationScope): boolean {
    if (typeof c === "string") return evaluateString(c, scope) === true;
    if (typeof c === "boolean") return c;
    const [op, arg] = Object.entries(c as Record<string, unknown>)[0] ?? [];
    if (op === "and") return (arg as unknown[]).every((x) => this.condition(x, scope));
    if (op === "or") return (arg as unknown[]).some((x) => this.condition(x, scope));
    if (op === "not") return !this.condition(arg, scope);
    const fn = op ? this.options.functions[op] : undefined;
    if (!fn) throw new ActionFailure("InvalidTemplate", `unknown condition operator ${String(op)}`);
    return fn((arg as unknown[]).map((x) => evaluateValue(x, scope))) === true;
  }

  /**
   * An invoker connection signs in as the user who started the run: "Provided by run-only user"
   * (runtimeSource "invoker", seen on a Power Apps-started flow in a real export). Instant flows
   * carry that user in the trigger's x-ms-user-email header (triggerOutputs()['headers']
   * ['x-ms-user-email'], as makers read it); without one there is no connection to use.
   */
  private caller(runtimeSource: "embedded" | "invoker", connection: string): Caller {
    if (runtimeSource === "embedded") return { runtimeSource, principal: connection };
    const user = this.trigger.headers?.["x-ms-user-email"];
    if (!user)
      throw new ActionFailure("InvokerConnectionMissing", `the connection ${connection} is provided by the user who starts the flow, and this run has none`);
    return { runtimeSource, principal: user };
  }

  private async connectorCall(name: string, a: WdlAction, scope: EvaluationScope): Promise<ActionResult> {
    const inputs = a.inputs as unknown as {
      host: { connectionName: string; operationId: string };
      parameters?: Record<string, unknown>;
      retryPolicy?: RetryPolicy;
    };
    const ref = this.clientData.properties.connectionReferences[inputs.host.connectionName];
    if (!ref) throw new ActionFailure("ConnectionNotFound", `connection ${inputs.host.connectionName} is not in the flow's connection references`);
    const api = ref.api.name;
    const binding = this.options.connectors[api];
    if (!binding) throw new ActionFailure("ConnectorNotBound", `no fake is bound for the API ${api}`);
    const op = binding.definition.operations.get(inputs.host.operationId);
    if (!op) throw new ActionFailure("OperationNotFound", `${api} has no operation ${inputs.host.operationId}`);
    const parameters = evaluateValue(inputs.parameters ?? {}, scope) as Record<string, unknown>;
    const request = buildRequest(op, parameters, binding);
    const url = `${request.path}?${new URLSearchParams(request.query).toString()}`;
    if (url.length > RUN_LIMITS.requestUrlCharacters) throw new ActionFailure("BadRequest", LIMIT_MESSAGES.requestUrl(url.length));
    const connection = ref.connection.connectionReferenceLogicalName;
    const caller = this.caller(ref.runtimeSource, connection);
    const rate = ref.api.logicalName !== undefined ? CUSTOM_CONNECTOR_RATE : api === DATAVERSE_API ? DATAVERSE_CONNECTOR_RATE : undefined;
    const send = async (query: Record<string, string>): Promise<HttpResponse> => {
      const policy = inputs.retryPolicy ?? DEFAULT_RETRY;
      const maxRetries = policy.type === "none" ? 0 : (policy.count ?? 4);
      for (let attempt = 0; ; attempt++) {
        // Calls take no virtual time: the answer comes at the moment the call is made, and a retry
        // waits from then (another run or iteration may have moved the clock while this one waited
        // for the fake's answer; parallel waits overlap).
        const sentAt = this.sim.now();
        const wait = rate ? this.sim.admit(connection, rate) : 0;
        let response: HttpResponse;
        if (wait > 0) {
          // The gateway answers for the connection; the service never sees the request.
          this.measures.throttled[api] = (this.measures.throttled[api] ?? 0) + 1;
          const seconds = Math.ceil(wait / 1000);
          response = { status: 429, headers: { "retry-after": String(seconds) }, body: { statusCode: 429, message: rateLimitMessage(seconds) } };
        } else {
          this.counts.calls[api] = (this.counts.calls[api] ?? 0) + 1;
          const key = `${api}:${op.operationId}`;
          this.counts.operations[key] = (this.counts.operations[key] ?? 0) + 1;
          const sent = { ...request, query };
          const intercept = this.options.intercept;
          const transport = (): Promise<HttpResponse> => this.sim.withService(() => binding.transport(sent, caller));
          response = intercept
            ? await intercept({ api, operationId: op.operationId, action: name, run: this.runName, request: sent, attempt }, transport)
            : await transport();
        }
        if (!RETRYABLE(response.status) || attempt >= maxRetries) return response;
        const retryAfter = Number(response.headers["retry-after"] ?? response.headers["Retry-After"]);
        const waitMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : retryWaitMs(policy, attempt);
        this.counts.retryWaitMs += waitMs;
        this.sim.waitUntil(sentAt + waitMs);
      }
    };
    let response = await send(request.query);
    const threshold = a.runtimeConfiguration?.paginationPolicy?.minimumItemCount;
    if (threshold !== undefined && threshold > RUN_LIMITS.paginatedItems)
      throw new ActionFailure("InvalidTemplate", LIMIT_MESSAGES.paginationThreshold(threshold));
    if (threshold !== undefined && response.status < 300) {
      const page = response.body as { value?: unknown[]; "@odata.nextLink"?: string };
      const rows = [...(page.value ?? [])];
      let next = page["@odata.nextLink"];
      // Whole pages until the threshold is reached: the threshold is "rounded off in increments of
      // the default page size" (RUN_LIMITS.paginatedItems' source).
      while (next && rows.length < threshold) {
        const url = new URL(next, "https://fake.invalid");
        const query: Record<string, string> = {};
        url.searchParams.forEach((v, k) => (query[k] = v));
        response = await send(query);
        if (response.status >= 300) break;
        const p = response.body as { value?: unknown[]; "@odata.nextLink"?: string };
        rows.push(...(p.value ?? []));
        next = p["@odata.nextLink"];
      }
      if (response.status < 300) {
        const cut = next !== undefined || rows.length > RUN_LIMITS.paginatedItems;
        if (cut) this.measures.truncatedLists.push(name);
        // Past the threshold the answer has no @odata.nextLink: the flow cannot see that rows are missing.
        const body: Record<string, unknown> = { ...(response.body as object), value: rows.slice(0, RUN_LIMITS.paginatedItems) };
        delete body["@odata.nextLink"];
        response = { ...response, body };
      }
    }
    const outputs = { statusCode: response.status, headers: response.headers, body: response.body ?? null };
    if (response.status >= 400) {
      const answer = response.body as { error?: { message?: string }; message?: string } | undefined;
      const message = answer?.error?.message ?? answer?.message ?? JSON.stringify(response.body ?? null);
      throw new ActionFailure(String(response.status), `${op.operationId} returned ${response.status}: ${message}`, outputs);
    }
    return { name, status: "Succeeded", inputs: parameters, outputs };
  }
}
