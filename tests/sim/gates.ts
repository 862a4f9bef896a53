import type { InterceptedCall } from "../../flows/toolkit/sim/engine";
import type { HttpResponse } from "../../flows/toolkit/sim/dispatch";

/** Which connector calls a gate catches. `connector` is "dataverse" or "cleverreach". */
export interface GateMatch {
  connector?: "dataverse" | "cleverreach";
  operationId?: string;
  /** The action's name in the flow (inside a loop, every iteration has the same name). */
  action?: string;
  where?: (call: InterceptedCall) => boolean;
  /** How many matching calls the gate catches before it lets the rest through (default 1). */
  times?: number;
}

/**
 * A gate holds a matching call, so that a test can decide when it goes on. `at: "request"` holds
 * the call before the service sees it (a slow or throttled call: another run can act meanwhile);
 * `at: "answer"` lets the service carry the call out and holds its answer.
 */
export interface Gate {
  /** Resolves with the caught call once one arrives. */
  readonly reached: Promise<InterceptedCall>;
  /** Lets the held call go on (to the service, or its answer to the flow). */
  release(): void;
  /**
   * Only with `at: "answer"`: the service did the work, but the flow gets no answer. The platform
   * gives up on an outbound call after 120 s (Logic Apps limits, "Outbound request | 120 sec"; the
   * same timeout surfaces as 504 GatewayTimeout in Power Automate runs, OfficeDev/office-scripts-docs
   * issue 440), and its default retry policy then sends the same call again.
   */
  lose(): void;
  /**
   * Only with `at: "request"`: the service never sees the call, and the flow gets `answer` (default: a
   * 400 that no retry policy re-sends), as when a write is refused (a privilege missing, a plug-in
   * throwing) after the steps before it were carried out.
   */
  fail(answer?: HttpResponse): void;
  /** Calls this gate has caught so far. */
  readonly caught: InterceptedCall[];
}

/** The answer a flow sees for a call whose answer was lost (see Gate.lose). */
export const LOST_ANSWER: HttpResponse = {
  status: 504,
  headers: {},
  body: { error: { code: "GatewayTimeout", message: "The gateway did not receive a response from the service within the specified time (120 seconds)." } },
};

interface Pending extends GateMatch {
  at: "request" | "answer";
  caught: InterceptedCall[];
  left: number;
  reached: Promise<InterceptedCall>;
  arrive: (call: InterceptedCall) => void;
  waiters: Array<(how: Decision) => void>;
  decided?: Decision;
  failAnswer?: HttpResponse;
}

type Decision = "release" | "lose" | "fail";

/** The answer of a refused call (see Gate.fail). */
export const REFUSED: HttpResponse = {
  status: 400,
  headers: {},
  body: { error: { code: "0x80040220", message: "The write was refused (a test's gate)." } },
};

/**
 * The gates of one test's fakes: every simulator made by `startFakes` passes its connector calls
 * through `intercept`, so that overlapping runs can be ordered deterministically (interleavings are
 * driven, not hoped for with random delays).
 */
export class Gates {
  private gates: Pending[] = [];
  private readonly apis: Record<string, "dataverse" | "cleverreach">;

  constructor(apis: Record<string, "dataverse" | "cleverreach">) {
    this.apis = apis;
  }

  hold(match: GateMatch & { at?: "request" | "answer" }): Gate {
    let arrive!: (call: InterceptedCall) => void;
    const reached = new Promise<InterceptedCall>((resolve) => (arrive = resolve));
    const pending: Pending = { ...match, at: match.at ?? "request", caught: [], left: match.times ?? 1, reached, arrive, waiters: [] };
    this.gates.push(pending);
    const decide = (how: Decision) => {
      if (how === "lose" && pending.at !== "answer") throw new Error("only an answer can be lost: hold with at: 'answer'");
      if (how === "fail" && pending.at !== "request") throw new Error("only a request can be refused: hold with at: 'request'");
      pending.decided = how;
      for (const w of pending.waiters.splice(0)) w(how);
    };
    return {
      reached,
      release: () => decide("release"),
      lose: () => decide("lose"),
      fail: (answer = REFUSED) => {
        pending.failAnswer = answer;
        decide("fail");
      },
      caught: pending.caught,
    };
  }

  /** Lets every held call go on and removes every gate (for afterEach: no run stays stuck). */
  releaseAll(): void {
    for (const g of this.gates) {
      g.decided = g.decided ?? "release";
      for (const w of g.waiters.splice(0)) w(g.decided);
    }
    this.gates = [];
  }

  readonly intercept = async (call: InterceptedCall, send: () => Promise<HttpResponse>): Promise<HttpResponse> => {
    const gate = this.gates.find((g) => g.left > 0 && this.matches(g, call));
    if (!gate) return send();
    gate.left -= 1;
    gate.caught.push(call);
    gate.arrive(call);
    const decision = (): Promise<Decision> => (gate.decided ? Promise.resolve(gate.decided) : new Promise((resolve) => gate.waiters.push(resolve)));
    if (gate.at === "request") {
      return (await decision()) === "fail" ? (gate.failAnswer ?? REFUSED) : send();
    }
    const answer = await send();
    return (await decision()) === "lose" ? LOST_ANSWER : answer;
  };

  private matches(g: GateMatch, call: InterceptedCall): boolean {
    if (g.connector && this.apis[call.api] !== g.connector) return false;
    if (g.operationId && g.operationId !== call.operationId) return false;
    if (g.action && g.action !== call.action) return false;
    return !g.where || g.where(call);
  }
}
