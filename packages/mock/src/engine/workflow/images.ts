// The image service (Glance v2 / OTC IMS): `GET /v2/images/{id}`, `GET /v2/images` (filters and
// paging with `next`) and `DELETE /v2/images/{id}`, over the images createImage recorded. The image's
// shape is the spec's `image-show-active` example (Glance's fields, Nova's snapshot properties,
// OTC's `__` fields) with this snapshot's values; errors are webob's pages as the spec documents
// them, in the media type the client's Accept asks for.
import type { SpecModel } from "@ecs-api/spec/model";
import type { Ctx } from "../context.js";
import type { Shaper } from "../shaping.js";
import type { Answer } from "../types.js";
import { exampleValue, type Json, replaceAll } from "./examples.js";
import type { ImageRecord, State } from "./state.js";

export interface ImagesOptions {
  model: SpecModel;
  shape: Shaper;
  state: State;
  examples: Map<string, unknown>;
}

const EX = {
  active: "image-show-active",
  request: "create-image-req",
  notFound: {
    json: "glance-image-not-found-json",
    html: "glance-image-not-found-html",
    text: "glance-image-not-found-text",
  },
  deleteNotFound: "glance-image-delete-not-found-json",
  badMarker: "glance-bad-marker-json",
  badLimit: "glance-bad-limit-json",
} as const;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export function createImages(options: ImagesOptions) {
  const { model, shape, state, examples } = options;
  const sample = exampleValue(examples, EX.active) as Json;
  const exampleId: string = sample.id;
  // The example's own createImage metadata keys are this one snapshot's, not every image's.
  for (const key of Object.keys(exampleValue(examples, EX.request).createImage?.metadata ?? {}))
    delete sample[key];
  const limitParam = model.operation("listImages").parameters.find((p) => p.name === "limit");
  const defaultLimit = Number(limitParam?.schema?.default ?? 25);
  const maxLimit = Number(limitParam?.schema?.maximum ?? 1000);
  const notFound = {
    json: exampleValue(examples, EX.notFound.json) as Json,
    html: exampleValue(examples, EX.notFound.html) as string,
    text: exampleValue(examples, EX.notFound.text) as string,
  };
  const deleteNotFound = exampleValue(examples, EX.deleteNotFound) as Json;
  const badMarker = exampleValue(examples, EX.badMarker) as Json;
  const badLimit = exampleValue(examples, EX.badLimit) as Json;
  const badMarkerId = /[0-9a-f-]{36}/.exec(badMarker.message)?.[0] ?? "";

  /** webob renders its error page by Accept: JSON when asked for, HTML for `*\/*` or HTML, else text. */
  function glanceError(ctx: Ctx, status: number, json: Json, html?: string, text?: string): Answer {
    const accept = ctx.req.headers.accept ?? "";
    if (accept.includes("application/json") || (html === undefined && text === undefined))
      return shape.answerWith(ctx, status, json, { "Content-Type": "application/json" });
    if (html !== undefined && (accept.includes("text/html") || accept.includes("*/*")))
      return shape.answerWith(ctx, status, html, { "Content-Type": "text/html; charset=UTF-8" });
    return shape.answerWith(ctx, status, text ?? JSON.stringify(json), {
      "Content-Type": "text/plain; charset=UTF-8",
    });
  }

  const missing = (ctx: Ctx, id: string) =>
    glanceError(
      ctx,
      404,
      { ...notFound.json, message: replaceAll(notFound.json.message, exampleId, id) },
      replaceAll(notFound.html, exampleId, id),
      replaceAll(notFound.text, exampleId, id),
    );

  function imageBody(image: ImageRecord): Json {
    const status = state.imageStatus(image);
    const done = status === "active";
    const out: Json = {
      ...structuredClone(sample),
      id: image.id,
      name: image.name,
      status,
      owner: image.projectId,
      checksum: done ? sample.checksum : null,
      size: done ? sample.size : null,
      created_at: iso(image.createdAt),
      updated_at: iso(done ? image.createdAt + state.snapshotSeconds * 1000 : image.createdAt),
      self: `/v2/images/${image.id}`,
      file: `/v2/images/${image.id}/file`,
      instance_uuid: image.serverId,
      user_id: image.userId,
      ...image.metadata,
    };
    if (!done) delete out.__image_size;
    return out;
  }

  return {
    showImage(ctx: Ctx): Answer {
      const id = ctx.params.image_id ?? "";
      const image = state.image(id);
      return image ? shape.answerWith(ctx, 200, imageBody(image)) : missing(ctx, id);
    },

    deleteImage(ctx: Ctx): Answer {
      const id = ctx.params.image_id ?? "";
      if (state.deleteImage(id)) return shape.answerWith(ctx, 204, undefined);
      return glanceError(ctx, 404, {
        ...deleteNotFound,
        message: replaceAll(deleteNotFound.message, exampleId, id),
      });
    },

    listImages(ctx: Ctx): Answer {
      const q = ctx.query;
      const limitText = q?.get("limit");
      let limit = defaultLimit;
      if (limitText !== null && limitText !== undefined) {
        if (!/^-?[0-9]+$/.test(limitText) || Number(limitText) < 0) return glanceError(ctx, 400, badLimit);
        limit = Math.min(Number(limitText), maxLimit);
      }
      // Glance's default order: newest first.
      let images = state.images().reverse();
      for (const [param, value] of [
        ["name", (i: ImageRecord) => i.name],
        ["status", (i: ImageRecord) => state.imageStatus(i)],
        ["owner", (i: ImageRecord) => i.projectId],
        ["visibility", () => sample.visibility],
        ["__imagetype", () => sample.__imagetype],
      ] as const) {
        const wanted = q?.get(param);
        if (wanted) images = images.filter((i) => value(i) === wanted);
      }
      const marker = q?.get("marker");
      if (marker) {
        const at = images.findIndex((i) => i.id === marker.toLowerCase());
        if (at < 0)
          return glanceError(ctx, 400, {
            ...badMarker,
            message: replaceAll(badMarker.message, badMarkerId, marker),
          });
        images = images.slice(at + 1);
      }
      const page = images.slice(0, limit);
      const body: Json = { images: page.map(imageBody), first: "/v2/images", schema: "/v2/schemas/images" };
      const last = page[page.length - 1];
      if (last && images.length > page.length) {
        const next = new URLSearchParams(q ?? "");
        next.set("marker", last.id);
        next.set("limit", String(limit));
        body.next = `/v2/images?${next}`;
      }
      return shape.answerWith(ctx, 200, body);
    },
  };
}
