// Test helpers: the built-in examples as workspace inputs, and small text edits.
#pragma once
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "examples/examples.h"
#include "workspace_input.h"

namespace dfplay::compare::test {

inline WorkspaceInput example_input(std::string_view id) {
  const examples::Example* ex = examples::find(id);
  REQUIRE_MESSAGE(ex != nullptr, "no example " << id);
  WorkspaceInput in;
  in.dockerfile = ex->dockerfile;
  in.dockerfile_path = ex->dockerfile_path;
  for (const auto& f : ex->files) in.files.push_back(WorkspaceFile{f.path, f.content, f.mode, std::nullopt});
  in.options.target = ex->target;
  in.options.build_args = ex->build_args;
  return in;
}

// `in` with the first `from` in its Dockerfile replaced by `to` (the Dockerfile file in the context too).
inline WorkspaceInput with_text(WorkspaceInput in, std::string_view from, std::string_view to) {
  auto p = in.dockerfile.find(from);
  REQUIRE_MESSAGE(p != std::string::npos, "not in the Dockerfile: " << from);
  in.dockerfile.replace(p, from.size(), to);
  return in;
}

inline WorkspaceInput without_file(WorkspaceInput in, std::string_view path) {
  std::erase_if(in.files, [&](const WorkspaceFile& f) { return f.path == path; });
  return in;
}

}  // namespace dfplay::compare::test
