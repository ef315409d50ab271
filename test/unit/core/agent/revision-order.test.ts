import { describe, expect, it } from "vitest";
import type { ArgoCdApi } from "../../../../functions/core/agent/argocd-api.js";
import type { ArgoCdApplication } from "../../../../functions/core/agent/argocd-application.js";
import { RevisionOrder } from "../../../../functions/core/agent/revision-order.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";

const OLDER = "a".repeat(40);
const NEWER = "b".repeat(40);

/** Argo CD as the agent's Kubernetes-API mode sees it: no revision metadata, or the given dates. */
function argoCd(dates: Readonly<Record<string, string>> = {}): ArgoCdApi {
  return {
    getApplication: async () => ({}) as ArgoCdApplication,
    syncApplication: async () => undefined,
    revisionMetadata: async (name, revision) => {
      const date = dates[revision];
      if (date !== undefined) return { date };
      throw new ShiplineError({
        code: "ARGOCD_REQUEST_REJECTED",
        message: `no metadata of ${revision} of ${name}`,
        data: {},
      });
    },
  };
}

describe("RevisionOrder", () => {
  it("cannot order revisions whose commit times Argo CD cannot tell and no request announced", async () => {
    // Arrange
    const order = new RevisionOrder(argoCd());

    // Act
    const older = await order.isOlder("demo-dev", OLDER, NEWER);
    const contained = await order.isAtOrBefore("demo-dev", OLDER, NEWER);

    // Assert
    expect({ older, contained }).toEqual({ older: false, contained: false });
  });

  it("orders revisions by the times their requests announced when Argo CD cannot tell", async () => {
    // Arrange
    const order = new RevisionOrder(argoCd());
    order.announce(NEWER, "2026-03-01T12:00:30Z");
    order.announce(OLDER, "2026-03-01T12:00:00Z");

    // Act
    const older = await order.isOlder("demo-dev", OLDER, NEWER);
    const newerOlder = await order.isOlder("demo-dev", NEWER, OLDER);
    const contained = await order.isAtOrBefore("demo-dev", OLDER, NEWER);

    // Assert
    expect({ older, newerOlder, contained }).toEqual({ older: true, newerOlder: false, contained: true });
  });

  it("prefers Argo CD's commit times to announced ones, never comparing one with the other", async () => {
    // Arrange: the announced times say the opposite of the commit times
    const order = new RevisionOrder(
      argoCd({ [OLDER]: "2026-03-01T11:00:00Z", [NEWER]: "2026-03-01T11:30:00Z" }),
    );
    order.announce(OLDER, "2026-03-01T12:00:30Z");
    order.announce(NEWER, "2026-03-01T12:00:00Z");
    const half = new RevisionOrder(argoCd({ [OLDER]: "2026-03-01T11:00:00Z" }));
    half.announce(NEWER, "2026-03-01T10:00:00Z");

    // Act
    const older = await order.isOlder("demo-dev", OLDER, NEWER);
    const mixed = await half.isOlder("demo-dev", NEWER, OLDER);

    // Assert
    expect({ older, mixed }).toEqual({ older: true, mixed: false });
  });

  it("ignores an announced time that is missing or not a time", async () => {
    // Arrange
    const order = new RevisionOrder(argoCd());
    order.announce(OLDER, undefined);
    order.announce(NEWER, "yesterday-ish");

    // Act
    const older = await order.isOlder("demo-dev", OLDER, NEWER);

    // Assert
    expect(older).toBe(false);
  });
});
