#include "workspace.h"

#include <algorithm>

#include "report/build_json.h"
#include "report/json.h"

namespace dfplay {

Workspace::Workspace() = default;

// The Dockerfile is part of its build context (as with `docker build .`): the context file at
// the Dockerfile's path holds the text being edited, so that `COPY . .` sees it.
void Workspace::sync_dockerfile_entry() {
  for (auto& f : files_)
    if (f.path == dockerfile_path_ && f.content != dockerfile_) {
      f.content = dockerfile_;
      context_dirty_ = true;
    }
}

void Workspace::set_dockerfile(std::string text) {
  if (text == dockerfile_) return;
  dockerfile_ = std::move(text);
  sync_dockerfile_entry();
  invalidate();
}

void Workspace::set_dockerfile_path(std::string path) {
  if (path.empty()) path = "Dockerfile";
  if (path == dockerfile_path_) return;
  dockerfile_path_ = std::move(path);
  sync_dockerfile_entry();
  invalidate();
}

void Workspace::set_files(std::vector<WorkspaceFile> files) {
  // Sorted by path; for duplicate paths the last one given wins.
  std::stable_sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  std::vector<WorkspaceFile> unique;
  for (auto& f : files) {
    if (!unique.empty() && unique.back().path == f.path) unique.back() = std::move(f);
    else unique.push_back(std::move(f));
  }
  for (auto& f : unique)
    if (f.path == dockerfile_path_) f.content = dockerfile_;
  bool same = unique.size() == files_.size();
  for (size_t i = 0; same && i < unique.size(); ++i)
    same = unique[i].path == files_[i].path && unique[i].content == files_[i].content && unique[i].mode == files_[i].mode &&
           unique[i].size == files_[i].size;
  if (same) return;
  files_ = std::move(unique);
  context_dirty_ = true;
  invalidate();
}

void Workspace::set_options(WorkspaceOptions options) {
  options_ = std::move(options);
  invalidate();
}

Diagnostics Workspace::add_images_json(std::string_view json) {
  if (!user_catalog_) user_catalog_ = std::make_unique<catalog::Catalog>(catalog::Catalog::builtin());
  Diagnostics d = user_catalog_->add_json(json);
  for (const auto& x : d) image_diagnostics_.add(x);
  invalidate();
  return d;
}

void Workspace::clear_images() {
  user_catalog_.reset();
  image_diagnostics_ = {};
  invalidate();
}

const WorkspaceResult& Workspace::result() {
  if (!dirty_ && result_.build) return result_;
  if (context_dirty_) {
    context::ContextBuilder b;
    for (const auto& f : files_) {
      if (f.size) b.add_file_meta(f.path, *f.size, {}, f.mode);
      else b.add_file(f.path, f.content, f.mode);
    }
    context_ = b.build();
    context_dirty_ = false;
  }
  WorkspaceResult r;
  r.input_diagnostics = image_diagnostics_;
  Request req;
  req.dockerfile = dockerfile_;
  req.dockerfile_path = dockerfile_path_;
  req.context = &context_;
  req.catalog = user_catalog_.get();
  req.options = options_;
  req.options.platform_given = false;  // the app's platform is explicit only when it is not the build platform
  if (!stages::Platform::parse(options_.platform)) {
    r.input_diagnostics.error(Range{}, "options/platform",
                              "invalid platform \"" + options_.platform + "\" (expected os/arch[/variant], e.g. linux/arm64)");
    req.options.platform = req.options.build_platform;
  }
  RunOptions ro;
  ro.nonce = session_.builds() + 1;  // the identity of this build's non-reproducible outputs
  ro.run_cache = &runs_;
  PipelineResult p = run(req, ro);
  r.analysis = std::move(p.analysis);
  r.build = std::move(p.build);
  r.checks = std::move(p.checks);
  const sim::BuildResult& b = *r.build;
  r.cache = session_.preview(b);
  r.revision = ++revision_;
  result_ = std::move(r);
  dirty_ = false;
  return result_;
}

cache::Report Workspace::build() {
  const WorkspaceResult& r = result();
  cache::Report rep = r.cache;
  session_.record(*r.build);
  invalidate();  // the next preview compares against this build (and uses a new nonce)
  return rep;
}

void Workspace::clear_cache() {
  session_.clear();
  invalidate();
}

nlohmann::json workspace_json(const Workspace& ws, const WorkspaceResult& r) {
  using nlohmann::json;
  json opts = {{"target", ws.options().target},
               {"platform", ws.options().platform},
               {"no_cache", ws.options().no_cache},
               {"no_cache_filter", ws.options().no_cache_filter},
               {"network", ws.options().network}};
  json args = json::object();
  for (const auto& [k, v] : ws.options().build_args) args[k] = v;
  opts["build_args"] = std::move(args);
  json diags = json::array();
  for (const auto& d : r.input_diagnostics) diags.push_back(report::to_json(d));
  json j = {{"analysis", r.analysis ? report::analysis_json(*r.analysis) : json()},
            {"build", r.build ? report::build_json(*r.build) : json()},
            {"cache", r.build ? report::rebuild_json(*r.build, r.cache) : json()},
            {"checks", checks::to_json(r.checks, ws.dockerfile_path())},
            {"options", std::move(opts)},
            {"builds", ws.builds()},
            {"revision", r.revision},
            {"input_diagnostics", std::move(diags)}};
  return j;
}

}  // namespace dfplay
