// Helpers shared by the build engine's tests (build_test.cpp, archive_extract_test.cpp).
#pragma once
#include <doctest/doctest.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "pipeline.h"
#include "sim/build.h"

namespace dfplay::sim::testutil {

inline context::BuildContext ctx_of(std::initializer_list<std::pair<const char*, std::string>> files) {
  context::ContextBuilder b;
  for (const auto& [p, c] : files) b.add_file(p, c);
  return b.build();
}

inline std::unique_ptr<BuildResult> sim_build(std::string_view df, const context::BuildContext* ctx = nullptr,
                                              BuildOptions opts = {}) {
  Request in;
  in.dockerfile = df;
  in.context = ctx;
  in.options = std::move(opts);
  return simulate(in);
}

inline std::unique_ptr<BuildResult> sim_build(std::string_view df, const context::BuildContext& ctx) {
  return sim_build(df, &ctx);
}

// The image entry at `path` (nullptr if the image does not list it).
inline const ImageFile* file(const BuildResult& b, std::string_view path) {
  for (const auto& f : b.files)
    if (f.path == path) return &f;
  return nullptr;
}

inline bool has_diag(const BuildResult& b, std::string_view code) {
  for (const auto& d : b.diagnostics)
    if (d.code == code) return true;
  return false;
}

inline const Step& step_at_line(const BuildResult& b, uint32_t line) {
  for (const auto& s : b.steps)
    if (s.line == line) return s;
  FAIL("no step at line " << line);
  return b.steps.front();
}

}  // namespace dfplay::sim::testutil
