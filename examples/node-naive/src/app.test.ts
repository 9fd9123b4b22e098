import { describe, expect, it } from "vitest";
import { createApp } from "./app";

describe("createApp", () => {
  it("mounts the routes", () => {
    const app = createApp();
    expect(app).toBeTypeOf("function");
  });
});
