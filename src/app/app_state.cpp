#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "app.h"
#include "report/json.h"

namespace dfplay::app {

AppState::AppState() { load(std::string(example_dockerfile()), example_files()); }

AppState& state() {
  static AppState s;
  return s;
}

void AppState::reanalyze() {
  analysis_ = analyze(dockerfile_);
  ++revision_;
}

void AppState::edited() { reanalyze(); }

void AppState::load(std::string dockerfile, std::vector<ContextFile> files) {
  // Sort by path; for duplicate paths the last one given wins.
  std::map<std::string, std::string> by_path;
  for (auto& f : files) by_path[std::move(f.path)] = std::move(f.content);
  files_.clear();
  for (auto& [path, content] : by_path) files_.push_back({path, std::move(content)});
  dockerfile_ = std::move(dockerfile);
  ++load_generation_;
  reanalyze();
}

std::string AppState::load_json(std::string_view json_text) {
  using nlohmann::json;
  json j = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return "load: the argument is not valid JSON";
  if (!j.is_object()) return "load: expected an object {dockerfile, files}";
  std::string dockerfile;
  if (auto it = j.find("dockerfile"); it != j.end() && !it->is_null()) {
    if (!it->is_string()) return "load: `dockerfile` must be a string";
    dockerfile = it->get<std::string>();
  }
  std::vector<ContextFile> files;
  if (auto it = j.find("files"); it != j.end() && !it->is_null()) {
    if (it->is_object()) {
      for (const auto& [path, content] : it->items()) {
        if (!content.is_string()) return "load: the content of file `" + path + "` must be a string";
        files.push_back({path, content.get<std::string>()});
      }
    } else if (it->is_array()) {
      for (const auto& f : *it) {
        if (f.is_object() && f.contains("path") && f["path"].is_string() && f.contains("content") &&
            f["content"].is_string()) {
          files.push_back({f["path"].get<std::string>(), f["content"].get<std::string>()});
        } else if (f.is_array() && f.size() == 2 && f[0].is_string() && f[1].is_string()) {
          files.push_back({f[0].get<std::string>(), f[1].get<std::string>()});
        } else {
          return "load: each entry of `files` must be {path, content} or [path, content] with strings";
        }
      }
    } else {
      return "load: `files` must be an object {path: content} or a list of {path, content}";
    }
  }
  for (const auto& f : files)
    if (f.path.empty()) return "load: a file path is empty";
  load(std::move(dockerfile), std::move(files));
  return {};
}

std::string AppState::to_json() const {
  nlohmann::json files = nlohmann::json::object();
  for (const auto& f : files_) files[f.path] = f.content;
  auto rect = [](const Rect& r) { return nlohmann::json{{"x", r.x}, {"y", r.y}, {"width", r.w}, {"height", r.h}}; };
  nlohmann::json j = {{"dockerfile", dockerfile_},
          {"files", std::move(files)},
          {"analysis", report::analysis_json(analysis_)},
          {"revision", revision_},
          {"ui",
           {{"devicePixelRatio", ui.device_pixel_ratio},
            {"canvas", {{"width", ui.canvas_width}, {"height", ui.canvas_height}}},
            {"frame", ui.frame},
            {"editor", rect(ui.editor)},
            {"editorLineHeight", ui.editor_line_height},
            {"editorActive", ui.editor_active}}}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace dfplay::app
