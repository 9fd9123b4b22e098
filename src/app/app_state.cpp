#include <algorithm>

#include <nlohmann/json.hpp>

#include "app.h"
#include "examples/examples.h"
#include "imgui.h"
#include "report/build_json.h"
#include "report/json.h"

namespace dfplay::app {
namespace {

constexpr std::string_view kStartExample = "node-multistage";
nlohmann::json last_build_json;  // the report of the last recorded build (null when none)

}  // namespace

AppState::AppState() { load_example(kStartExample); }

AppState& state() {
  static AppState s;
  return s;
}

void AppState::edited() {
  ws_.set_dockerfile(dockerfile_);
  auto files = ws_.files();
  bool has = false;
  for (const auto& f : files) has |= f.path == ws_.dockerfile_path();
  if (has) {
    sync_dockerfile_file(files, ws_.dockerfile_path(), dockerfile_);
    ws_.set_files(std::move(files));
  }
  changed();
}

void AppState::replace_text(uint32_t begin, uint32_t end, std::string_view text) {
  const auto n = static_cast<uint32_t>(dockerfile_.size());
  begin = std::min(begin, n);
  end = std::clamp(end, begin, n);
  dockerfile_.replace(begin, end - begin, text);
  ++text_generation_;
  edited();
  select({begin, begin + static_cast<uint32_t>(text.size())});
}

std::string AppState::set_file(const std::string& path, std::string content) {
  nlohmann::json j = nlohmann::json::object();
  j[path] = content;
  std::vector<WorkspaceFile> parsed;
  if (auto e = files_from_json(j, parsed, "file"); !e.empty()) return e;
  auto files = ws_.files();
  files.push_back(std::move(parsed.front()));  // set_files: the last one given wins
  sync_dockerfile_file(files, ws_.dockerfile_path(), dockerfile_);
  ws_.set_files(std::move(files));
  changed();
  return {};
}

std::string AppState::rename_file(const std::string& from, const std::string& to) {
  nlohmann::json j = nlohmann::json::object();
  j[to] = "";
  std::vector<WorkspaceFile> parsed;
  if (auto e = files_from_json(j, parsed, "rename"); !e.empty()) return e;
  const std::string& dst = parsed.front().path;
  auto files = ws_.files();
  for (const auto& f : files)
    if (f.path == dst && dst != from) return "rename: `" + dst + "` already exists";
  for (auto& f : files)
    if (f.path == from) f.path = dst;
  sync_dockerfile_file(files, ws_.dockerfile_path(), dockerfile_);
  ws_.set_files(std::move(files));
  changed();
  return {};
}

void AppState::delete_file(const std::string& path) {
  auto files = ws_.files();
  std::erase_if(files, [&](const WorkspaceFile& f) { return f.path == path; });
  ws_.set_files(std::move(files));
  changed();
}

void AppState::set_options(WorkspaceOptions options) {
  ws_.set_options(std::move(options));
  changed();
}

void AppState::load(WorkspaceInput input) {
  dockerfile_ = input.dockerfile;
  apply_input(ws_, std::move(input));
  example_id_.clear();
  ++text_generation_;
  selection_request_.reset();
  changed();
}

std::string AppState::load_json(std::string_view json_text) {
  WorkspaceInput in;
  if (auto e = input_from_json_text(json_text, in, "load"); !e.empty()) return e;
  load(std::move(in));
  return {};
}

std::string AppState::set_options_json(std::string_view json_text) {
  nlohmann::json j = parse_json_text(json_text);
  if (j.is_discarded()) return "setOptions: the argument is not valid JSON";
  if (!j.is_object()) return "setOptions: expected an object, e.g. {target: \"builder\"}";
  WorkspaceOptions o = ws_.options();
  if (auto e = options_from_json(j, o, "setOptions"); !e.empty()) return e;
  set_options(std::move(o));
  return {};
}

std::string AppState::load_example(std::string_view id) {
  const examples::Example* ex = examples::find(id);
  if (!ex) {
    std::string known;
    for (const auto& e : examples::builtin()) known += (known.empty() ? "" : ", ") + e.id;
    return "loadExample: no example `" + std::string(id) + "` (examples: " + known + ")";
  }
  WorkspaceInput in;
  in.dockerfile = ex->dockerfile;
  in.dockerfile_path = ex->dockerfile_path;
  for (const auto& f : ex->files) in.files.push_back({f.path, f.content, f.mode});
  in.options.target = ex->target;
  in.options.build_args = ex->build_args;
  load(std::move(in));
  example_id_ = ex->id;
  clear_cache();  // each example starts from a cold cache
  return {};
}

const cache::Report& AppState::build() {
  const WorkspaceResult& r = ws_.result();
  last_build_json = report::rebuild_json(*r.build, r.cache);
  last_build_ = ws_.build();
  ++cached_builds_;
  changed();
  return *last_build_;
}

void AppState::clear_cache() {
  ws_.clear_cache();
  cached_builds_ = 0;
  last_build_.reset();
  last_build_json = nullptr;
  changed();
}

void AppState::select_line(uint32_t line) {
  if (line == 0) return;
  uint32_t begin = 0, cur = 1;
  while (cur < line) {
    auto nl = dockerfile_.find('\n', begin);
    if (nl == std::string::npos) return;
    begin = static_cast<uint32_t>(nl + 1);
    ++cur;
  }
  auto nl = dockerfile_.find('\n', begin);
  uint32_t end = nl == std::string::npos ? static_cast<uint32_t>(dockerfile_.size()) : static_cast<uint32_t>(nl);
  select({begin, end});
}

void publish(AppState& s, const std::string& name) {
  const float dpr = s.ui.device_pixel_ratio > 0 ? s.ui.device_pixel_ratio : 1.0f;
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  s.ui.widgets_next[name] = {a.x / dpr, a.y / dpr, (b.x - a.x) / dpr, (b.y - a.y) / dpr};
}

std::string AppState::to_json() {
  using nlohmann::json;
  const WorkspaceResult& r = ws_.result();
  json j = workspace_json(ws_, r);
  json files = json::object();
  for (const auto& f : ws_.files()) files[f.path] = f.content;
  auto rect = [](const Rect& r) { return json{{"x", r.x}, {"y", r.y}, {"width", r.w}, {"height", r.h}}; };
  json widgets = json::object();
  for (const auto& [name, r] : ui.widgets) widgets[name] = rect(r);
  j["dockerfile"] = dockerfile_;
  j["dockerfile_path"] = ws_.dockerfile_path();
  j["files"] = std::move(files);
  j["example"] = example_id_.empty() ? json() : json(example_id_);
  j["revision"] = revision_;
  j["last_build"] = last_build_json;
  j["cache_empty"] = cached_builds_ == 0;
  j["ui"] = {{"devicePixelRatio", ui.device_pixel_ratio},
             {"canvas", {{"width", ui.canvas_width}, {"height", ui.canvas_height}}},
             {"frame", ui.frame},
             {"editor", rect(ui.editor)},
             {"editorLineHeight", ui.editor_line_height},
             {"editorActive", ui.editor_active},
             {"editorSelection", {{"start", ui.editor_selection[0]}, {"end", ui.editor_selection[1]}}},
             {"sideTab", ui.side_tab},
             {"widgets", std::move(widgets)}};
  return report::dump(j);
}

}  // namespace dfplay::app
