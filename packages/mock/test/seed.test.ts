import { describe, expect, it } from "vitest";
import { uuidSource } from "../src/ids.js";
import { createImage, UUID, useMock } from "./helpers.js";

const a = useMock({ seed: "demo" });
const b = useMock({ seed: "demo" });
const c = useMock({ seed: "other" });
const body = { createImage: { name: "a" } };
const ids = async (mock: typeof a) => {
  const out: string[] = [];
  for (let i = 0; i < 20; i++)
    out.push((await createImage(mock.mock, body, { version: "2.45" })).json.image_id);
  return out;
};

describe("--seed", () => {
  it("given two mocks with the same seed, then the same sequence of image IDs", async () => {
    const [x, y] = [await ids(a), await ids(b)];
    expect(x).toEqual(y);
    expect(new Set(x).size).toBe(20);
    for (const id of x) expect(id).toMatch(UUID);
  });

  it("given another seed, then other IDs", async () => {
    const [x, z] = [await ids(a), await ids(c)];
    expect(x).not.toEqual(z);
  });

  it("given errors between the calls, then the image IDs do not shift (separate streams)", () => {
    const images = uuidSource("s", "image");
    const again = uuidSource("s", "image");
    const requests = uuidSource("s", "request");
    const first = [images(), images(), images()];
    requests();
    requests();
    expect([again(), again(), again()]).toEqual(first);
  });

  it("given no seed, then random version-4 UUIDs", () => {
    const random = uuidSource(undefined, "image");
    expect(random()).toMatch(UUID);
    expect(random()).not.toBe(random());
  });
});
