#include <algorithm>
#include <chrono>

#include <nlohmann/json.hpp>

#include "app.h"
#include "compare_mode.h"
#include "examples/examples.h"
#include "imgui.h"
#include "model/big_text.h"
#include "report/build_json.h"
#include "theme.h"
#include "report/json.h"

namespace dfplay::app {
namespace {

constexpr std::string_view kStartExample = "node-multistage";
nlohmann::json last_build_json;  // the report of the last recorded build (null when none)

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

AppState::AppState() {
  load_example(kStartExample);
  history_.reset(content());  // the start-up example is the starting point
}

AppState& state() {
  static AppState s;
  return s;
}

namespace {
// The Dockerfile's text into the workspace (and into its context file when it has one).
void set_text(Workspace& ws, const std::string& text) {
  ws.set_dockerfile(text);  // also its context file (Workspace keeps them in step)
}
}  // namespace

void AppState::edited(bool typed) {
  set_text(ws_, dockerfile_);
  history_.record_text(dockerfile_, now_seconds(), typed);
  changed();
}

void AppState::replace_text(uint32_t begin, uint32_t end, std::string_view text, std::string label) {
  const auto n = static_cast<uint32_t>(dockerfile_.size());
  begin = std::min(begin, n);
  end = std::clamp(end, begin, n);
  dockerfile_.replace(begin, end - begin, text);
  ++text_generation_;
  set_text(ws_, dockerfile_);
  record(std::move(label));
  changed();
  select({begin, begin + static_cast<uint32_t>(text.size())});
}

bool AppState::too_big() const { return app::too_big(dockerfile_.size()); }

bool AppState::take_big_paste(std::string& text) {
  drop_paste();
  if (readonly || !ui.editor_active || too_big()) return false;
  const uint32_t b = ui.editor_selection[0], e = ui.editor_selection[1];
  if (!app::too_big(size_after_replace(dockerfile_.size(), std::min(b, e), std::max(b, e), text.size()))) return false;
  pending_paste_ = std::move(text);
  paste_pending_ = true;
  return true;
}

void AppState::apply_paste(uint32_t begin, uint32_t end) {
  if (!paste_pending_) return;
  std::string text = std::move(pending_paste_);
  drop_paste();
  replace_text(std::min(begin, end), std::max(begin, end), text, "paste");
  // No selection of 5 MB in the read-only view; under the limit (a bigger selection replaced than
  // the last frame said), the cursor after the pasted text, as ImGui's paste leaves it.
  const uint32_t at = std::min(begin, end) + static_cast<uint32_t>(text.size());
  if (too_big()) selection_request_.reset();
  else select({at, at});
}

void AppState::drop_paste() {
  pending_paste_.clear();
  pending_paste_.shrink_to_fit();
  paste_pending_ = false;
}

void AppState::clear_text() {
  if (dockerfile_.empty()) return;
  replace_text(0, static_cast<uint32_t>(dockerfile_.size()), {}, "Clear");
}

Content AppState::content() const {
  auto rest = std::make_shared<ContentRest>();
  rest->dockerfile_path = ws_.dockerfile_path();
  rest->files = ws_.files();
  rest->options = ws_.options();
  rest->example_id = example_id_;
  // Share the previous step's copy when nothing but the text changed (typing keeps one copy).
  const Content& cur = history_.current();
  if (cur.rest && same_rest(*cur.rest, *rest)) return Content{dockerfile_, cur.rest};
  return Content{dockerfile_, std::move(rest)};
}

void AppState::record(std::string label, std::string_view merge_key) {
  history_.record(content(), std::move(label), now_seconds(), merge_key);
}

void AppState::apply(WorkspaceInput input, std::string example_id) {
  dockerfile_ = input.dockerfile;
  apply_input(ws_, std::move(input));
  example_id_ = std::move(example_id);
  ++text_generation_;
  selection_request_.reset();
  changed();
}

void AppState::show(const Restored& r) {
  const Content& c = *r.content;
  WorkspaceInput in;
  in.dockerfile = c.dockerfile;
  in.dockerfile_path = c.rest->dockerfile_path;
  in.files = c.rest->files;
  in.options = c.rest->options;
  apply(std::move(in), c.rest->example_id);
  const uint32_t at = std::min<uint32_t>(r.cursor, static_cast<uint32_t>(dockerfile_.size()));
  select({at, at});
}

bool AppState::undo() {
  auto r = history_.undo();
  if (!r) return false;
  show(*r);
  return true;
}

bool AppState::redo() {
  auto r = history_.redo();
  if (!r) return false;
  show(*r);
  return true;
}

bool AppState::can_reset() const {
  const examples::Example* ex = examples::find(example_id_);
  if (!ex) return false;
  if (dockerfile_ != ex->dockerfile || ws_.options().target != ex->target || ws_.options().build_args != ex->build_args)
    return true;
  if (ws_.files().size() != ex->files.size()) return true;
  for (const auto& f : ex->files) {
    auto it = std::find_if(ws_.files().begin(), ws_.files().end(), [&](const WorkspaceFile& w) { return w.path == f.path; });
    if (it == ws_.files().end() || it->content != f.content) return true;
  }
  return false;
}

namespace {
// A built-in example as the workspace takes it: its Dockerfile, context and preset options.
WorkspaceInput example_input(const examples::Example& ex) {
  WorkspaceInput in;
  in.dockerfile = ex.dockerfile;
  in.dockerfile_path = ex.dockerfile_path;
  for (const auto& f : ex.files) in.files.push_back({f.path, f.content, f.mode, std::nullopt});
  in.options.target = ex.target;
  in.options.build_args = ex.build_args;
  return in;
}
}  // namespace

void AppState::reset_example() {
  const examples::Example* ex = examples::find(example_id_);
  if (!ex) return;
  apply(example_input(*ex), ex->id);
  record("Reset");
}

std::string AppState::content_json(bool with_dockerfile, bool with_ui) const {
  using nlohmann::json;
  json files = json::object();
  bool dockerfile_file = false;
  for (const auto& f : ws_.files()) {
    // Without the Dockerfile, its context file (Workspace keeps it holding the same text) is left
    // out too and "dockerfile_file" says it is there: the reader puts the text back (restore_json,
    // page_recovery.js), and the text is stored once.
    if (!with_dockerfile && !f.size && f.path == ws_.dockerfile_path() && f.content == dockerfile_) dockerfile_file = true;
    else if (f.size) files[f.path] = {{"size", *f.size}};  // a file known by its size only
    else files[f.path] = f.content;
  }
  const WorkspaceOptions& o = ws_.options();
  json args = json::object();
  for (const auto& [k, v] : o.build_args) args[k] = v;
  json j = {{"dockerfile_path", ws_.dockerfile_path()},
            {"files", std::move(files)},
            {"options",
             {{"target", o.target},
              {"platform", o.platform},
              {"build_args", std::move(args)},
              {"no_cache", o.no_cache},
              {"no_cache_filter", o.no_cache_filter},
              {"network", o.network},
              {"best_practices", o.best_practices},
              {"digest_overrides", o.digest_overrides}}}};
  if (with_ui) {
    j["tab"] = ui.side_tab;
    j["example"] = example_id_.empty() ? json() : json(example_id_);
  }
  if (with_dockerfile) j["dockerfile"] = dockerfile_;
  if (dockerfile_file) j["dockerfile_file"] = true;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string AppState::restore_json(std::string_view json_text) {
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return "restore: not a JSON object";
  std::string example;
  if (auto it = j.find("example"); it != j.end()) {
    if (it->is_string() && examples::find(it->get<std::string>())) example = it->get<std::string>();
    j.erase(it);
  }
  std::string tab;
  if (auto it = j.find("tab"); it != j.end()) {
    if (it->is_string()) tab = it->get<std::string>();
    j.erase(it);
  }
  // (content_json without the Dockerfile: its context file was left out, the text stored once)
  if (auto it = j.find("dockerfile_file"); it != j.end()) {
    const bool put_back = it->is_boolean() && it->get<bool>();
    j.erase(it);
    auto d = j.find("dockerfile");
    auto path = j.find("dockerfile_path");
    auto files = j.find("files");
    if (put_back && d != j.end() && d->is_string() && files != j.end() && files->is_object())
      (*files)[path != j.end() && path->is_string() ? path->get<std::string>() : std::string("Dockerfile")] = *d;
  }
  WorkspaceInput in;
  if (auto e = input_from_json(j, in, "restore"); !e.empty()) return e;
  apply(std::move(in), std::move(example));
  history_.reset(content());
  for (const auto& p : panels())
    if (p.slot == Slot::Side && tab == p.title) show_tab(tab);
  return {};
}

std::string AppState::set_file(const std::string& path, std::string content) {
  nlohmann::json j = nlohmann::json::object();
  j[path] = content;
  std::vector<WorkspaceFile> parsed;
  if (auto e = files_from_json(j, parsed, "file"); !e.empty()) return e;
  auto files = ws_.files();
  const std::string key = "file:" + parsed.front().path;
  files.push_back(std::move(parsed.front()));  // set_files: the last one given wins
  ws_.set_files(std::move(files));
  record("edit file", key);
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
  ws_.set_files(std::move(files));
  record("rename file");
  changed();
  return {};
}

void AppState::delete_file(const std::string& path) {
  auto files = ws_.files();
  std::erase_if(files, [&](const WorkspaceFile& f) { return f.path == path; });
  ws_.set_files(std::move(files));
  record("delete file");
  changed();
}

void AppState::set_options(WorkspaceOptions options) {
  ws_.set_options(std::move(options));
  record("change options", "options");
  changed();
}

void AppState::load(WorkspaceInput input, std::string label) {
  apply(std::move(input), {});
  record(std::move(label));
}

std::string AppState::load_json(std::string_view json_text, std::optional<std::string_view> dockerfile) {
  WorkspaceInput in;
  if (auto e = input_from_json_text(json_text, in, "load"); !e.empty()) return e;
  if (dockerfile) in.dockerfile.assign(dockerfile->data(), dockerfile->size());
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
  apply(example_input(*ex), ex->id);
  record("load example");
  clear_cache();  // each example starts from a cold cache
  return {};
}

const cache::Report& AppState::build() {
  build_requested_ = false;
  const WorkspaceResult& r = ws_.result();
  last_build_json = report::rebuild_json(*r.build, r.cache);
  last_build_ = ws_.build();
  ++cached_builds_;
  changed();
  return *last_build_;
}

void AppState::request_build() {
  if (!ws_.pending()) {
    build();  // the results are current: recording them computes nothing
    return;
  }
  build_requested_ = true;
  request_redraw();  // the status line says a build is waiting; redraw.js steps the analysis
}

const nlohmann::json& AppState::last_build_report() const { return last_build_json; }

void AppState::clear_cache() {
  ws_.clear_cache();
  cached_builds_ = 0;
  last_build_.reset();
  last_build_json = nullptr;
  changed();
}

double AppState::now() { return now_seconds(); }

bool AppState::analysing() const { return ws_.pending() || compare_pending(*this); }

double AppState::analysing_for() const {
  if (!analysing() || pending_since_ == 0) return 0;
  return now_seconds() - pending_since_;
}

bool AppState::analyse(double budget_ms) {
  if (!analysing()) {
    pending_since_ = 0;
    return what_ifs_step(*this, budget_ms);  // the what-ifs the Compare tab asked for, after the rest
  }
  if (pending_since_ == 0) pending_since_ = now_seconds();
  bool done = false;
  if (ws_.pending()) {
    if (ws_.step(budget_ms)) {
      request_redraw();  // the new results
      if (build_requested_) build();  // computes nothing: the results are current
      done = !analysing();
    }
  } else {
    done = compare_step(*this, budget_ms);
    if (done) request_redraw();  // the new comparison
  }
  if (done) {
    pending_since_ = 0;
    return !what_ifs_pending(*this);  // the what-ifs follow in the next slices
  }
  if (show_analysing() && !ui.analysing_shown) request_redraw(1);  // "analysing…" is due
  return false;
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
  const WorkspaceResult& r = ws_.last();
  json j = workspace_json(ws_, r);
  json files = json::object();
  for (const auto& f : ws_.files()) files[f.path] = f.size ? json{{"size", *f.size}} : json(f.content);
  auto rect = [](const Rect& r) { return json{{"x", r.x}, {"y", r.y}, {"width", r.w}, {"height", r.h}}; };
  json widgets = json::object();
  for (const auto& [name, r] : ui.widgets) widgets[name] = rect(r);
  j["dockerfile"] = dockerfile_;
  j["dockerfile_path"] = ws_.dockerfile_path();
  j["files"] = std::move(files);
  j["example"] = example_id_.empty() ? json() : json(example_id_);
  j["revision"] = revision_;
  j["analysing"] = analysing();  // the results above are the previous input's (or compare's): the current ones follow
  j["build_requested"] = build_requested_;  // the Build button waits for the analysis (request_build)
  j["last_build"] = last_build_json;
  j["cache_empty"] = cached_builds_ == 0;
  j["compare"] = compare_state_json(*this);    // null unless compare mode is on
  j["timeline"] = timeline_state_json(*this);
  j["ui"] = {{"devicePixelRatio", ui.device_pixel_ratio},
             {"canvas", {{"width", ui.canvas_width}, {"height", ui.canvas_height}}},
             {"frame", ui.frame},
             {"editor", rect(ui.editor)},
             {"editorLineHeight", ui.editor_line_height},
             {"editorScroll", {{"x", ui.editor_scroll[0]}, {"y", ui.editor_scroll[1]}}},
             {"editorActive", ui.editor_active},
             {"analysingShown", ui.analysing_shown},
             {"editorSelection", {{"start", ui.editor_selection[0]}, {"end", ui.editor_selection[1]}}},
             {"sideTab", ui.side_tab},
             {"readonly", readonly},
             {"embed", embed},
             {"theme", theme::light() ? "light" : "dark"},
             {"themeSetting", theme::choice_name(theme::choice())},
             {"find", {{"open", ui.find_open}, {"matches", ui.find_matches}, {"current", ui.find_current}}},
             {"notice", ui.notice},
             {"tooBig", too_big()},  // the editor shows the text read-only under the size limit's banner
             {"undo", {{"canUndo", history_.can_undo()},
                       {"canRedo", history_.can_redo()},
                       {"undoLabel", history_.undo_label()},
                       {"redoLabel", history_.redo_label()}}},
             {"widgets", std::move(widgets)}};
  return report::dump(j);
}

}  // namespace dfplay::app
