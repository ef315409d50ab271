import type { Command } from "./command.js";
import { approveCommand } from "./commands/approve.js";
import { devCommand } from "./commands/dev.js";
import { eventsCommand } from "./commands/events.js";
import { gitCredentialCommand } from "./commands/git-credential.js";
import { holdCommand } from "./commands/hold.js";
import { mergeCommand } from "./commands/merge.js";
import { pullsCommand } from "./commands/pulls.js";
import { putEventsCommand } from "./commands/put-events.js";
import { releaseCommand } from "./commands/release.js";
import { replayCommand } from "./commands/replay.js";
import { startCommand } from "./commands/start.js";
import { statusCommand } from "./commands/status.js";
import { testEventPatternCommand } from "./commands/test-event-pattern.js";
import { traceCommand } from "./commands/trace.js";

/** Every `shipline` sub-command; each lives in its own file under `commands/`. */
export const COMMANDS: readonly Command[] = [
  startCommand,
  devCommand,
  testEventPatternCommand,
  putEventsCommand,
  eventsCommand,
  approveCommand,
  holdCommand,
  releaseCommand,
  pullsCommand,
  mergeCommand,
  gitCredentialCommand,
  traceCommand,
  statusCommand,
  replayCommand,
];
