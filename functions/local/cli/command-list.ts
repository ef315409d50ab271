import type { Command } from "./command.js";
import { eventsCommand } from "./commands/events.js";
import { putEventsCommand } from "./commands/put-events.js";
import { testEventPatternCommand } from "./commands/test-event-pattern.js";

/** Every `shipline` sub-command; each lives in its own file under `commands/`. */
export const COMMANDS: readonly Command[] = [testEventPatternCommand, putEventsCommand, eventsCommand];
