import { describe, expect, it } from "vitest";
import { parseSetterMarker } from "../../../../functions/core/manifest/index.js";

describe("parseSetterMarker", () => {
  it.each([
    [' {"$imagepolicy": "flux-system:web"}', { source: "flux", name: "flux-system:web", field: "image" }],
    ['{"$imagepolicy":"apps:web:tag"}', { source: "flux", name: "apps:web", field: "tag" }],
    [' {"$imagepolicy": "apps:web:name"}', { source: "flux", name: "apps:web", field: "name" }],
    [
      ' {"$imagepolicy": "apps:web:digest", "other": 1}',
      { source: "flux", name: "apps:web", field: "digest" },
    ],
    [" shipline:image=web", { source: "shipline", name: "web", field: "image" }],
    [" shipline:tag=web (set on promotion)", { source: "shipline", name: "web", field: "tag" }],
    [" shipline:name=team/web", { source: "shipline", name: "team/web", field: "name" }],
    [" shipline:digest=web", { source: "shipline", name: "web", field: "digest" }],
  ])("reads %j", (comment, expected) => {
    // Arrange / Act
    const marker = parseSetterMarker(comment);

    // Assert
    expect(marker).toEqual(expected);
  });

  it.each([
    " just a comment",
    ' {"$imagepolicy": "web"}',
    ' {"$imagepolicy": "apps:web:version"}',
    ' {"$imagepolicy": 3}',
    " {not json}",
    " shipline:version=web",
    " shipline:tag=",
    " see shipline:tag=web",
  ])("ignores %j", (comment) => {
    // Arrange / Act
    const marker = parseSetterMarker(comment);

    // Assert
    expect(marker).toBeUndefined();
  });
});
