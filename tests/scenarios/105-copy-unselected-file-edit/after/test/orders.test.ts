import assert from "node:assert";
assert.equal(1 + 1, 2);
