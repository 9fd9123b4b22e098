// The Comparer stepped in the smallest slices (one unit of work per step, as the app's slices
// are on a big input) gives the same comparison as run to the end at once (compare_inputs) and as
// the comparison spelled out by hand (A built into a layer cache, B previewed against it), for
// the seed tutorial's pairs; a change of B between two steps drops the unfinished work and ends
// with the latest B's comparison, the last one readable meanwhile.
#include "compare/comparer.h"

#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "compare/compare_test_util.h"

namespace {

using namespace dfplay;
using namespace dfplay::compare;
using compare::test::example_input;
using compare::test::with_text;

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

std::string stepped_json(Comparer& c, size_t* steps = nullptr) {
  size_t n = 1;
  while (!c.step(0.0)) ++n;  // (a zero budget: one unit per step)
  if (steps) *steps = n;
  REQUIRE(c.has_diff());
  return dump(diff_json(*c.a_result().build, *c.b_result().build, c.diff()));
}

// The comparison's definition without the Comparer: A's build recorded, B previewed against it.
std::string by_hand(const WorkspaceInput& a, const WorkspaceInput& b) {
  Workspace wa, wb;
  apply_input(wa, a);
  apply_input(wb, a);
  wb.build();
  apply_input(wb, b);
  const WorkspaceResult& ra = wa.result();
  const WorkspaceResult& rb = wb.result();
  Diff d = compare::diff(Side{*ra.build, ra.checks}, Side{*rb.build, rb.checks}, rb.cache);
  return dump(diff_json(*ra.build, *rb.build, d));
}

std::vector<std::pair<WorkspaceInput, WorkspaceInput>> seed_pairs() {
  std::vector<std::pair<WorkspaceInput, WorkspaceInput>> pairs;
  pairs.emplace_back(example_input("node-naive"), example_input("node-multistage"));
  WorkspaceInput runtime = example_input("dotnet-multistage");
  pairs.emplace_back(with_text(runtime, "FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS production",
                               "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS production"),
                     runtime);
  WorkspaceInput distroless = example_input("go-distroless");
  pairs.emplace_back(with_text(distroless, "FROM gcr.io/distroless/static:nonroot AS production",
                               "FROM golang:1.22-alpine AS production"),
                     distroless);
  WorkspaceInput multi = example_input("node-multistage");
  WorkspaceInput edited = multi;
  for (auto& f : edited.files)
    if (f.path == "src/server.ts") f.content += "\n// edited\n";
  pairs.emplace_back(multi, edited);
  pairs.emplace_back(multi, multi);
  WorkspaceInput broken;
  broken.dockerfile = "FROM\nRUN \\";
  pairs.emplace_back(broken, WorkspaceInput{});
  return pairs;
}

TEST_CASE("Comparer: stepped to the end == at once == by hand, for the seed's pairs") {
  for (const auto& pair : seed_pairs()) {
    const auto& a = pair.first;  // (not a structured binding: clang 14 cannot capture one in CAPTURE's lambda)
    const auto& b = pair.second;
    CAPTURE(a.dockerfile.substr(0, 60));
    CAPTURE(b.dockerfile.substr(0, 60));
    Comparer c;
    CHECK_FALSE(c.pending());  // nothing to do without A
    c.set_a(a);
    c.set_b(b);
    CHECK(c.pending());
    CHECK_FALSE(c.has_diff());
    size_t steps = 0;
    const std::string stepped = stepped_json(c, &steps);
    CHECK(steps > 10);  // A, A into B's cache, B: each a pipeline job of several units
    CHECK_FALSE(c.pending());
    CHECK(c.revision() == 1);
    CHECK(stepped == dump(compare_inputs(a, b)));
    CHECK(stepped == by_hand(a, b));
  }
}

TEST_CASE("Comparer: B given before A, or A given again, compares the latest A and B") {
  auto pairs = seed_pairs();
  const auto& [a, b] = pairs[0];
  Comparer c;
  c.set_b(b);
  c.set_a(pairs[1].first);
  c.step(0.0);
  c.set_a(a);  // a new A: a new comparison
  CHECK_FALSE(c.has_diff());
  CHECK(stepped_json(c) == dump(compare_inputs(a, b)));
}

TEST_CASE("Comparer: an edit of B between two steps drops the stale work; the last comparison stays readable") {
  const WorkspaceInput a = example_input("node-naive");
  const WorkspaceInput b1 = with_text(a, "FROM node:20\n", "FROM node:20-slim\n");
  const WorkspaceInput b2 = with_text(a, "FROM node:20\n", "FROM node:20-alpine\n");
  const WorkspaceInput b3 = example_input("node-multistage");
  Comparer c;
  c.set_a(a);
  c.set_b(b1);
  // Until A is recorded in B's cache and B1's analysis is under way.
  size_t guard = 0;
  while (!(c.b_workspace().builds() == 1 && c.b_workspace().job() != nullptr) && ++guard < 1000) CHECK_FALSE(c.step(0.0));
  REQUIRE(c.b_workspace().job() != nullptr);
  c.set_b(b2);  // B1's unfinished analysis is dropped: the next step starts on B2
  CHECK(c.b_workspace().job() == nullptr);
  CHECK(c.pending());
  const std::string first = stepped_json(c);
  CHECK(first == dump(compare_inputs(a, b2)));
  CHECK(c.revision() == 1);

  // The same B again: nothing to do.
  c.set_b(b2);
  CHECK_FALSE(c.pending());
  // A new B: the last comparison (A, B2) is readable while B3's is made, also after a second change.
  c.set_b(b1);
  CHECK(c.pending());
  CHECK_FALSE(c.step(0.0));
  REQUIRE(c.has_diff());
  CHECK(dump(diff_json(*c.a_result().build, *c.b_result().build, c.diff())) == first);
  c.set_b(b3);
  CHECK_FALSE(c.step(0.0));
  CHECK(dump(diff_json(*c.a_result().build, *c.b_result().build, c.diff())) == first);
  CHECK(c.revision() == 1);
  CHECK(stepped_json(c) == dump(compare_inputs(a, b3)));
  CHECK(c.revision() == 2);  // B1's comparison was never made
  // finish() after it: nothing left.
  CHECK(dump(diff_json(*c.a_result().build, *c.b_result().build, c.finish())) == dump(compare_inputs(a, b3)));
  CHECK(c.revision() == 2);
}

}  // namespace
