#include "workspace.h"

#include <algorithm>

#include "report/build_json.h"
#include "report/json.h"

namespace dfplay {

Workspace::Workspace() : context_(std::make_shared<context::BuildContext>()) {}

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
  // A new catalog each time: the result shown meanwhile keeps the one it was made with.
  auto cat = std::make_shared<catalog::Catalog>(user_catalog_ ? *user_catalog_ : catalog::Catalog::builtin());
  Diagnostics d = cat->add_json(json);
  user_catalog_ = std::move(cat);
  for (const auto& x : d) image_diagnostics_.add(x);
  invalidate();
  return d;
}

void Workspace::clear_images() {
  user_catalog_.reset();
  image_diagnostics_ = {};
  invalidate();
}

void Workspace::begin() {
  release_previous();  // (when the front end did not)
  if (context_dirty_) {
    context::ContextBuilder b;
    for (const auto& f : files_) {
      if (f.size) b.add_file_meta(f.path, *f.size, {}, f.mode);
      else b.add_file(f.path, f.content, f.mode);
    }
    context_ = std::make_shared<context::BuildContext>(b.build());  // a new one: last() keeps the old
    context_dirty_ = false;
  }
  next_ = {};
  next_.input_diagnostics = image_diagnostics_;
  next_.context = context_;
  next_.catalog = user_catalog_;
  Request req;
  req.dockerfile = dockerfile_;
  req.dockerfile_path = dockerfile_path_;
  req.context = context_.get();
  req.catalog = user_catalog_.get();
  req.options = options_;
  req.options.platform_given = false;  // the app's platform is explicit only when it is not the build platform
  if (!stages::Platform::parse(options_.platform)) {
    next_.input_diagnostics.error(Range{}, "options/platform",
                                  "invalid platform \"" + options_.platform + "\" (expected os/arch[/variant], e.g. linux/arm64)");
    req.options.platform = req.options.build_platform;
  }
  RunOptions ro;
  ro.nonce = session_.builds() + 1;  // the identity of this build's non-reproducible outputs
  ro.run_cache = &runs_;
  ro.checks = checks_;
  job_ = std::make_unique<PipelineJob>(req, ro, &session_);  // copies the text
}

void Workspace::finish() {
  JobResult j = job_->take();
  last_units_ = job_->units();
  job_.reset();
  next_.analysis = std::move(j.pipeline.analysis);
  next_.build = std::move(j.pipeline.build);
  next_.checks = std::move(j.pipeline.checks);
  next_.cache = std::move(*j.cache);
  next_.revision = ++revision_;
  release_previous();  // (one kept at most)
  previous_ = std::move(result_);
  result_ = std::move(next_);
  next_ = {};
  dirty_ = false;
}

bool Workspace::release_previous() {
  if (!previous_.build && !previous_.analysis) return false;
  previous_ = {};
  return true;
}

const WorkspaceResult& Workspace::result() {
  if (!pending()) return result_;
  if (!job_) begin();
  finish();
  return result_;
}

const WorkspaceResult& Workspace::last() {
  if (!result_.build) return result();
  return result_;
}

bool Workspace::step(double budget_ms) {
  if (!pending()) return true;
  if (!job_) begin();
  if (!job_->step(budget_ms)) return false;
  finish();
  return true;
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
