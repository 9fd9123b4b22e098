// The Dear ImGui app: state, panels and layout. Platform code (GLFW, WebGL, HiDPI, fonts) is in
// main.cpp; the page API (window.dfplay) in page_api.cpp/.js; each panel is one file in panels/.
//
// Adding a panel: create panels/<name>_panel.cpp with
//   static void draw(AppState& s) { ... ImGui widgets ... }
//   static const PanelRegistration reg{{"Title", Slot::Right, /*order*/ 20, draw}};
// The workspace tiles the registered panels by slot and order and keeps them fitted to the
// canvas on every resize; a panel only draws its contents (the window is made for it).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline.h"

namespace dfplay::app {

// A build-context file, as given to window.dfplay.load({files}).
struct ContextFile {
  std::string path;
  std::string content;
};

// Screen geometry the page API publishes (window.dfplay.state().ui), in CSS pixels, so that
// tests can click into the editor and check what was drawn where.
struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
};
struct UiMetrics {
  float device_pixel_ratio = 1.0f;
  int canvas_width = 0, canvas_height = 0;  // backing store, device pixels
  uint64_t frame = 0;                       // frames drawn so far
  Rect editor;                              // the editor (its frame, CSS pixels)
  float editor_line_height = 0;             // CSS pixels
  bool editor_active = false;               // the editor has keyboard focus
};

// Everything the app shows is computed from this state; window.dfplay.state() serialises it.
class AppState {
 public:
  AppState();

  const std::string& dockerfile() const { return dockerfile_; }
  const std::vector<ContextFile>& files() const { return files_; }
  const Analysis& analysis() const { return analysis_; }

  // The editor edits this buffer in place, then calls edited().
  std::string& dockerfile_buffer() { return dockerfile_; }
  void edited();

  // Replaces the whole content (window.dfplay.load). Files are sorted by path, later duplicates win.
  void load(std::string dockerfile, std::vector<ContextFile> files);
  // The same from the page API's JSON: {"dockerfile": "...", "files": {path: content} | [{path, content}]}.
  // Returns an error message, or "" on success (the state is unchanged on error).
  std::string load_json(std::string_view json_text);

  uint64_t revision() const { return revision_; }            // bumps on every change
  uint64_t load_generation() const { return load_generation_; }  // bumps on every load()

  // The page API's state() snapshot as JSON text: {dockerfile, files, analysis, revision, ui}, where
  // `analysis` is report::analysis_json (what `dfplay analyze --json` prints). Invalid UTF-8 (never
  // produced by the editor, but possible through load()) is replaced instead of aborting.
  std::string to_json() const;

  UiMetrics ui;

 private:
  void reanalyze();

  std::string dockerfile_;
  std::vector<ContextFile> files_;
  Analysis analysis_;
  uint64_t revision_ = 0;
  uint64_t load_generation_ = 0;
};

AppState& state();  // the app's single state

// The example shown at start-up (the seed's Node.js multi-stage build) and its context files.
std::string_view example_dockerfile();
std::vector<ContextFile> example_files();

// ---- Platform ---------------------------------------------------------------------------

// Connects ImGui's clipboard to the system's (see clipboard.cpp); after the GLFW backend's init.
void install_clipboard();
// The text of a paste event: what ImGui's next Ctrl+V pastes.
void clipboard_paste(std::string text);

// ---- Panels and layout -------------------------------------------------------------------

enum class Slot : uint8_t {
  Left,    // the main column (the Dockerfile editor)
  Right,   // a side column, stacked top to bottom by order
  Bottom,  // a band under both columns
};

struct PanelInfo {
  const char* title;  // window title, unique
  Slot slot;
  int order;          // position within the slot, ascending
  void (*draw)(AppState&);
};

struct PanelRegistration {
  explicit PanelRegistration(const PanelInfo& info);
};

const std::vector<PanelInfo>& panels();  // sorted by slot, then order

// Lays out and draws every registered panel, filling the display.
void draw_workspace(AppState& s);

}  // namespace dfplay::app
