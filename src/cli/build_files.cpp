#include "build_files.h"

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "command.h"
#include "context_loader.h"
#include "syntax/diagnostic.h"

namespace dfplay::cli {

bool load_build_files(const std::string& dir, const std::string& file, const std::string& images, BuildFiles& out) {
  namespace fs = std::filesystem;
  out.dockerfile_file = file.empty() ? (fs::path(dir) / "Dockerfile").string() : file;
  if (!file.empty() && !fs::exists(out.dockerfile_file) && fs::exists(fs::path(dir) / file))
    out.dockerfile_file = (fs::path(dir) / file).string();
  if (!read_file(out.dockerfile_file, out.dockerfile)) {
    std::fprintf(stderr, "dfplay: cannot read %s\n", out.dockerfile_file.c_str());
    return false;
  }
  std::error_code ec;
  auto rel = fs::relative(fs::absolute(out.dockerfile_file), fs::absolute(dir), ec);
  out.dockerfile_path = ec || rel.empty() || rel.string().starts_with("..") ? "Dockerfile" : rel.generic_string();
  std::string err;
  ContextLoadReport report;
  if (!load_context_dir(dir, out.context, {}, &report, &err)) {
    std::fprintf(stderr, "dfplay: %s\n", err.c_str());
    return false;
  }
  for (const auto& w : report.warnings) std::fprintf(stderr, "dfplay: warning: %s\n", w.c_str());
  if (!images.empty()) {
    std::string text;
    if (!read_file(images, text)) {
      std::fprintf(stderr, "dfplay: cannot read %s\n", images.c_str());
      return false;
    }
    for (const auto& d : out.catalog.add_json(text)) std::cerr << format_diagnostic(d, images) << "\n";
  }
  return true;
}

}  // namespace dfplay::cli
