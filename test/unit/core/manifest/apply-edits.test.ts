import { describe, expect, it } from "vitest";
import { applyEdit, applyEdits, type ManifestEdit } from "../../../../functions/core/manifest/index.js";
import { catchShiplineError } from "./catch-shipline-error.js";

const DIGEST = `sha256:${"ab".repeat(32)}`;
const tagEdit = (path: string, tag: string): ManifestEdit => ({
  kind: "helm",
  path,
  field: "tag",
  image: { tag },
});

describe("applyEdits", () => {
  it("refuses to edit a value reached through an alias and names the anchor's line", () => {
    // Arrange
    const text = "base:\n  tag: &shared v1\nweb:\n  tag: *shared\n";

    // Act
    const error = catchShiplineError(
      () => applyEdit({ text, edit: tagEdit("web.tag", "v2") }),
      "MANIFEST_ALIAS_REFUSED",
    );

    // Assert
    expect(error.message).toContain("*shared at line 4");
    expect(error.message).toContain("&shared at line 2");
    expect(error.data).toMatchObject({ path: "web.tag", alias: "shared", anchorLine: 2 });
  });

  it("refuses a key that only comes from a merge key", () => {
    // Arrange
    const text = "defaults: &defaults\n  tag: v1\nweb:\n  <<: *defaults\n  repository: ghcr.io/acme/web\n";

    // Act
    const error = catchShiplineError(
      () => applyEdit({ text, edit: tagEdit("web.tag", "v2") }),
      "MANIFEST_ALIAS_REFUSED",
    );

    // Assert
    expect(error.message).toContain("*defaults at line 4");
  });

  it("refuses a path that goes on through an aliased mapping", () => {
    // Arrange
    const text = "base: &img\n  tag: v1\nweb:\n  image: *img\n";

    // Act
    const error = catchShiplineError(
      () => applyEdit({ text, edit: tagEdit("web.image.tag", "v2") }),
      "MANIFEST_ALIAS_REFUSED",
    );

    // Assert
    expect(error.data).toMatchObject({ alias: "img", line: 4 });
  });

  it("names the missing key, the existing keys and their line when a Helm path is not found", () => {
    // Arrange
    const text = "# values\nimage:\n  repository: ghcr.io/acme/web\n  pullPolicy: Always\n";

    // Act
    const error = catchShiplineError(
      () => applyEdit({ text, edit: tagEdit("image.tag", "v2") }),
      "MANIFEST_PATH_NOT_FOUND",
    );

    // Assert
    expect(error.message).toContain('value path "image.tag"');
    expect(error.message).toContain('"image" has no key "tag"');
    expect(error.message).toContain("line 3 has keys: repository, pullPolicy");
    expect(error.data).toMatchObject({ path: "image.tag", missing: 'key "tag"', line: 3 });
  });

  it("says when a path runs into a scalar instead of a mapping", () => {
    // Arrange
    const text = "image: ghcr.io/acme/web:v1\n";

    // Act
    const error = catchShiplineError(
      () => applyEdit({ text, edit: tagEdit("image.tag", "v2") }),
      "MANIFEST_PATH_NOT_FOUND",
    );

    // Assert
    expect(error.message).toContain(
      '(line 1: "image: ghcr.io/acme/web:v1") is a scalar, so it has no key "tag"',
    );
  });

  it("refuses a multi-part Helm field when one of its keys is missing", () => {
    // Arrange
    const text = "image:\n  tag: v1\n";
    const edit: ManifestEdit = {
      kind: "helm",
      path: "image",
      field: "tag+digest",
      image: { tag: "v2", digest: DIGEST },
    };

    // Act
    const error = catchShiplineError(() => applyEdit({ text, edit }), "MANIFEST_PATH_NOT_FOUND");

    // Assert
    expect(error.data).toMatchObject({ path: "image.digest" });
  });

  it.each([
    ["a tag with a slash", { tag: "feature/x" }, "tag"],
    ["a tag starting with a dot", { tag: ".v1" }, "tag"],
    ["a tag longer than 128 characters", { tag: `v${"1".repeat(128)}` }, "tag"],
  ])("refuses %s as IMAGE_REF_INVALID", (_title, image, part) => {
    // Arrange
    const text = "image:\n  tag: v1\n";

    // Act
    const error = catchShiplineError(
      () => applyEdit({ text, edit: { kind: "helm", path: "image.tag", field: "tag", image } }),
      "IMAGE_REF_INVALID",
    );

    // Assert
    expect(error.data).toMatchObject({ part });
  });

  it.each([
    ["an upper-case digest", `sha256:${"AB".repeat(32)}`],
    ["a short digest", "sha256:abc"],
    ["another algorithm", `sha512:${"ab".repeat(32)}`],
  ])("refuses %s as IMAGE_REF_INVALID", (_title, digest) => {
    // Arrange
    const text = `images:\n- name: web\n  digest: ${DIGEST}\n`;

    // Act
    const error = catchShiplineError(
      () => applyEdit({ text, edit: { kind: "kustomize", name: "web", field: "digest", image: { digest } } }),
      "IMAGE_REF_INVALID",
    );

    // Assert
    expect(error.message).toContain(digest);
  });

  it("refuses an upper-case repository and a missing part the field needs", () => {
    // Arrange
    const text = "image:\n  repository: a\n  tag: v1\n";
    const field = "repository+tag" as const;

    // Act
    const upper = catchShiplineError(
      () =>
        applyEdit({
          text,
          edit: { kind: "helm", path: "image", field, image: { repository: "ghcr.io/Acme/Web", tag: "v1" } },
        }),
      "IMAGE_REF_INVALID",
    );
    const missing = catchShiplineError(
      () => applyEdit({ text, edit: { kind: "helm", path: "image", field, image: { tag: "v1" } } }),
      "IMAGE_REF_INVALID",
    );

    // Assert
    expect(upper.data).toMatchObject({ part: "repository" });
    expect(missing.message).toContain("pass image.repository");
  });

  it("refuses a chart version that is not SemVer", () => {
    // Arrange
    const text = "spec:\n  source:\n    targetRevision: 1.0.0\n";

    // Act
    const error = catchShiplineError(
      () =>
        applyEdit({
          text,
          edit: { kind: "chart-version", path: "spec.source.targetRevision", version: "1.0" },
        }),
      "CHART_VERSION_INVALID",
    );

    // Assert
    expect(error.message).toContain('"1.0"');
  });

  it("asks for a document index when the path exists in several documents", () => {
    // Arrange
    const text = "spec:\n  targetRevision: 1.0.0\n---\nspec:\n  targetRevision: 2.0.0\n";
    const edit = { kind: "chart-version", path: "spec.targetRevision", version: "3.0.0" } as const;

    // Act
    const error = catchShiplineError(() => applyEdit({ text, edit }), "MANIFEST_PATH_AMBIGUOUS");
    const chosen = applyEdit({ text, edit: { ...edit, documentIndex: 1 } });

    // Assert
    expect(error.data).toMatchObject({ documents: [0, 1] });
    expect(chosen.text).toBe("spec:\n  targetRevision: 1.0.0\n---\nspec:\n  targetRevision: 3.0.0\n");
    expect(chosen.changes).toMatchObject([{ documentIndex: 1, line: 5, previous: "2.0.0" }]);
  });

  it("refuses a document index past the end of the file", () => {
    // Arrange
    const text = "image:\n  tag: v1\n";

    // Act
    const error = catchShiplineError(
      () =>
        applyEdit({
          text,
          edit: { kind: "helm", path: "image.tag", field: "tag", image: { tag: "v2" }, documentIndex: 1 },
        }),
      "MANIFEST_PATH_NOT_FOUND",
    );

    // Assert
    expect(error.message).toContain("the file has 1 document(s)");
  });

  it("refuses block scalars and mappings as edit targets", () => {
    // Arrange
    const text = "notes: |\n  v1\nimage:\n  tag: v1\n";

    // Act
    const block = catchShiplineError(
      () => applyEdit({ text, edit: tagEdit("notes", "v2") }),
      "MANIFEST_EDIT_UNSUPPORTED",
    );
    const mapping = catchShiplineError(
      () => applyEdit({ text, edit: tagEdit("image", "v2") }),
      "MANIFEST_EDIT_UNSUPPORTED",
    );

    // Assert
    expect(block.message).toContain("block scalar");
    expect(mapping.message).toContain("is a mapping, not a scalar");
  });

  it("refuses a file that is not valid YAML, naming the line", () => {
    // Arrange
    const text = "image:\n  tag: v1\n  tag: v2\n";

    // Act
    const error = catchShiplineError(
      () => applyEdit({ text, edit: tagEdit("image.tag", "v3") }),
      "MANIFEST_PARSE_FAILED",
    );

    // Assert
    expect(error.data).toMatchObject({ line: 3, reason: "DUPLICATE_KEY" });
  });

  it("refuses a marker edit when no marker of that name is in the file, listing the ones found", () => {
    // Arrange
    const text = 'image: ghcr.io/acme/web:v1 # {"$imagepolicy": "flux-system:web"}\n';

    // Act
    const error = catchShiplineError(
      () => applyEdit({ text, edit: { kind: "marker", marker: "flux-system:api", image: { tag: "v2" } } }),
      "MANIFEST_MARKER_NOT_FOUND",
    );

    // Assert
    expect(error.data).toMatchObject({ found: ["flux-system:web"] });
  });

  it("refuses a marker placed on an alias", () => {
    // Arrange
    const text = "base: &img ghcr.io/acme/web:v1\nimage: *img # shipline:image=web\n";

    // Act
    const error = catchShiplineError(
      () => applyEdit({ text, edit: { kind: "marker", marker: "web", image: { tag: "v2" } } }),
      "MANIFEST_ALIAS_REFUSED",
    );

    // Assert
    expect(error.message).toContain("move the marker to the anchored value &img");
  });

  it("refuses a marker edit without the part a marker asks for", () => {
    // Arrange
    const text = "digest: sha256:0 # shipline:digest=web\n";

    // Act
    const error = catchShiplineError(
      () => applyEdit({ text, edit: { kind: "marker", marker: "web", image: { tag: "v2" } } }),
      "IMAGE_REF_INVALID",
    );

    // Assert
    expect(error.message).toContain("line 1");
  });

  it("refuses a new tag on a Kustomize entry pinned by digest unless the digest changes too", () => {
    // Arrange
    const text = `images:\n- name: web\n  newTag: v1\n  digest: ${DIGEST}\n`;
    const next = `sha256:${"cd".repeat(32)}`;

    // Act
    const error = catchShiplineError(
      () =>
        applyEdit({ text, edit: { kind: "kustomize", name: "web", field: "newTag", image: { tag: "v2" } } }),
      "MANIFEST_DIGEST_PINNED",
    );
    const both = applyEdit({
      text,
      edit: { kind: "kustomize", name: "web", field: "newTag+digest", image: { tag: "v2", digest: next } },
    });

    // Assert
    expect(error.message).toContain('use the field "newTag+digest"');
    expect(both.text).toBe(`images:\n- name: web\n  newTag: v2\n  digest: ${next}\n`);
  });

  it("refuses a Kustomize images key that is not a sequence", () => {
    // Arrange
    const text = "images:\n  web: v1\n";

    // Act
    const error = catchShiplineError(
      () =>
        applyEdit({ text, edit: { kind: "kustomize", name: "web", field: "newTag", image: { tag: "v2" } } }),
      "MANIFEST_EDIT_UNSUPPORTED",
    );

    // Assert
    expect(error.message).toContain("images at line 2 is a mapping");
  });

  it("fills an images key written as null", () => {
    // Arrange
    const text = "resources:\n  - base\nimages: ~ # none yet\n";

    // Act
    const result = applyEdit({
      text,
      edit: { kind: "kustomize", name: "web", field: "newTag", image: { tag: "v2" } },
    });

    // Assert
    expect(result.text).toBe("resources:\n  - base\nimages: # none yet\n  - name: web\n    newTag: v2\n");
    expect(result.changes).toMatchObject([{ path: "images[name=web].newTag", line: 5, inserted: true }]);
  });

  it("refuses a revert when a later change set another value", () => {
    // Arrange
    const text = "image:\n  tag: v4\n";

    // Act
    const error = catchShiplineError(
      () => applyEdit({ text, edit: { kind: "scalar", path: "image.tag", value: "v2", expect: "v3" } }),
      "MANIFEST_VALUE_CONFLICT",
    );

    // Assert
    expect(error.data).toMatchObject({ current: "v4", expect: "v3" });
  });

  it("reverts a change to null and refuses a multi-line value", () => {
    // Arrange
    const text = `images:\n- name: web\n  newTag: v1\n  digest: ${DIGEST}\n`;

    // Act
    const result = applyEdit({
      text,
      edit: { kind: "scalar", path: "images[name=web].digest", value: null, expect: DIGEST },
    });
    const error = catchShiplineError(
      () => applyEdit({ text, edit: { kind: "scalar", path: "images[0].newTag", value: "v1\nv2" } }),
      "MANIFEST_VALUE_INVALID",
    );

    // Assert
    expect(result.text).toBe("images:\n- name: web\n  newTag: v1\n  digest: null\n");
    expect(result.changes).toMatchObject([{ previous: DIGEST, next: null, line: 4 }]);
    expect(error.data).toMatchObject({ path: "images[0].newTag" });
  });

  it("refuses two different values for the same scalar in one batch, and counts equal ones once", () => {
    // Arrange
    const text = "image:\n  tag: v1\n";

    // Act
    const error = catchShiplineError(
      () => applyEdits({ text, edits: [tagEdit("image.tag", "v2"), tagEdit("image.tag", "v3")] }),
      "MANIFEST_EDIT_OVERLAP",
    );
    const same = applyEdits({ text, edits: [tagEdit("image.tag", "v2"), tagEdit("image.tag", "v2")] });

    // Assert
    expect(error.data).toMatchObject({ edits: [0, 1], line: 2 });
    expect(same.text).toBe("image:\n  tag: v2\n");
    expect(same.changes).toHaveLength(1);
  });

  it("reports lines in the new text when an inserted entry pushes later changes down", () => {
    // Arrange
    const text = "images:\n- name: api\n  newTag: v1\nlabels:\n  version: v1 # shipline:tag=web\n";

    // Act
    const result = applyEdits({
      text,
      edits: [
        { kind: "kustomize", name: "web", field: "newTag+digest", image: { tag: "v2", digest: DIGEST } },
        { kind: "marker", marker: "web", image: { tag: "v2" } },
      ],
    });

    // Assert
    expect(result.text).toBe(
      `images:\n- name: api\n  newTag: v1\n- name: web\n  newTag: v2\n  digest: ${DIGEST}\nlabels:\n  version: v2 # shipline:tag=web\n`,
    );
    expect(result.changes.map((change) => [change.editIndex, change.path, change.line])).toEqual([
      [0, "images[name=web].newTag", 5],
      [0, "images[name=web].digest", 6],
      [1, "labels.version", 8],
    ]);
  });

  it("keeps a plain value plain when it is safe and quotes one that YAML 1.1 would read as a boolean", () => {
    // Arrange
    const text = "a:\n  tag: v1\nb:\n  tag: v1\n";

    // Act
    const result = applyEdits({ text, edits: [tagEdit("a.tag", "v1.2.3"), tagEdit("b.tag", "on")] });

    // Assert
    expect(result.text).toBe('a:\n  tag: v1.2.3\nb:\n  tag: "on"\n');
    expect(result.changes.map((change) => change.quoted)).toEqual([false, true]);
  });

  it("writes a whole reference for a reference field on an empty value only when a repository is given", () => {
    // Arrange
    const text = "image:\n";
    const edit = (image: { repository?: string; tag: string }): ManifestEdit => ({
      kind: "helm",
      path: "image",
      field: "reference",
      image,
    });

    // Act
    const error = catchShiplineError(
      () => applyEdit({ text, edit: edit({ tag: "v1" }) }),
      "IMAGE_REF_INVALID",
    );
    const result = applyEdit({ text, edit: edit({ repository: "ghcr.io/acme/web", tag: "v1" }) });

    // Assert
    expect(error.message).toContain("including image.repository");
    expect(result.text).toBe("image: ghcr.io/acme/web:v1\n");
  });
});
