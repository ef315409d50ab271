import type { Command } from "./command.js";

/**
 * A sub-command as `shipline help` lists it, and how to load it: each command's module (and what it
 * imports: the AWS SDK, git, the local platform) is imported only when that command runs or shows
 * its help, so that `shipline --help` stays fast.
 */
export interface CommandEntry {
  readonly name: string;
  /** The same line as the loaded command's `summary` (a test keeps them equal). */
  readonly summary: string;
  load(): Promise<Command>;
}

/** Every `shipline` sub-command; each lives in its own file under `commands/`. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "start",
    summary: "Run the whole chain locally with a demo app, and show each step live",
    load: async () => (await import("./commands/start.js")).startCommand,
  },
  {
    name: "dev",
    summary: "Run the local platform (bus, git server, token exchange, registry, webhook endpoint)",
    load: async () => (await import("./commands/dev.js")).devCommand,
  },
  {
    name: "status",
    summary: "Show which image runs where, per app and environment, and DORA metrics",
    load: async () => (await import("./commands/status.js")).statusCommand,
  },
  {
    name: "trace",
    summary: "Show a commit's journey (or an app's latest) as a timeline",
    load: async () => (await import("./commands/trace.js")).traceCommand,
  },
  {
    name: "dlq",
    summary: "List the dead letters (local runtime or AWS), and redrive them",
    load: async () => (await import("./commands/dlq.js")).dlqCommand,
  },
  {
    name: "events",
    summary: "List the events the local bus archived",
    load: async () => (await import("./commands/events.js")).eventsCommand,
  },
  {
    name: "approve",
    summary: "Approve an image for an environment with manual approval",
    load: async () => (await import("./commands/approve.js")).approveCommand,
  },
  {
    name: "hold",
    summary: "Stop automatic promotion of an app into an environment",
    load: async () => (await import("./commands/hold.js")).holdCommand,
  },
  {
    name: "release",
    summary: "Lift the hold on an app in an environment",
    load: async () => (await import("./commands/release.js")).releaseCommand,
  },
  {
    name: "pulls",
    summary: "List the local config repository's pull requests (review environments wait in them)",
    load: async () => (await import("./commands/pulls.js")).pullsCommand,
  },
  {
    name: "merge",
    summary: "Merge the open pull request of an app in a review environment",
    load: async () => (await import("./commands/merge.js")).mergeCommand,
  },
  {
    name: "replay",
    summary: "Replay archived events to all rules or chosen ones",
    load: async () => (await import("./commands/replay.js")).replayCommand,
  },
  {
    name: "publish",
    summary: "Announce an image a CI pushed (signed 'image published' call to the webhook URL)",
    load: async () => (await import("./commands/publish.js")).publishCommand,
  },
  {
    name: "put-events",
    summary: "Put events on the running local bus and print per-entry results",
    load: async () => (await import("./commands/put-events.js")).putEventsCommand,
  },
  {
    name: "test-event-pattern",
    summary: "Tell whether an event matches an EventBridge event pattern",
    load: async () => (await import("./commands/test-event-pattern.js")).testEventPatternCommand,
  },
  {
    name: "git-credential",
    summary: "git credential helper: short-lived, repository-scoped tokens for the local git server",
    load: async () => (await import("./commands/git-credential.js")).gitCredentialCommand,
  },
];
