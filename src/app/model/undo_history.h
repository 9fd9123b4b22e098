// The app's undo history: every change of the content (the Dockerfile text, the context files,
// the options, the loaded example) is a step, grouped as a person thinks of them: a typed word,
// a run of Backspaces, a paste, an Apply fix, an example load, dfplay.load(), Reset. ImGui's own
// undo (stb_textedit) is per character and forgets everything when the text is replaced from
// outside, so the editor turns it off and uses this one.
//
// Pure logic (no ImGui): unit-tested natively (undo_history_test.cpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workspace.h"

namespace dfplay::app {

// Everything but the Dockerfile text; shared between the steps that only change the text.
struct ContentRest {
  std::string dockerfile_path = "Dockerfile";
  std::vector<WorkspaceFile> files;
  WorkspaceOptions options;
  std::string example_id;  // "" when not an example
};

struct Content {
  std::string dockerfile;
  std::shared_ptr<const ContentRest> rest = std::make_shared<ContentRest>();
};

bool same_rest(const ContentRest& a, const ContentRest& b);

// The one edit that turns `before` into `after`: bytes [pos, pos + removed) replaced by
// `inserted` bytes (common prefix and suffix left out).
struct TextEdit {
  uint32_t pos = 0;
  uint32_t removed = 0;
  uint32_t inserted = 0;
};
TextEdit diff_text(std::string_view before, std::string_view after);

// What undo() / redo() give back: the content to show and where to put the cursor (the end of
// the text the step changed, as a byte offset into the restored text).
struct Restored {
  const Content* content = nullptr;
  uint32_t cursor = 0;
  std::string label;  // the step undone or redone ("typing", "load example", "Apply fix"...)
};

class UndoHistory {
 public:
  // Typing pauses longer than this start a new step.
  static constexpr double kGroupSeconds = 2.0;

  explicit UndoHistory(size_t max_steps = 300);

  // Starts over: `content` is the only state (nothing to undo or redo).
  void reset(Content content);

  // The text typed in the editor changed to `text` at time `now` (seconds): merged into the last
  // step when it continues it (the next character of a word, the next Backspace), else a new step.
  // `typed`: it came from typing (several characters typed within one frame are grouped as if
  // typed one by one); false for a paste or a cut, which are steps of their own.
  void record_text(std::string text, double now, bool typed = true);
  // A change of the whole content as one step labelled `label`. With `merge_key` non-empty, a
  // change with the same key within kGroupSeconds of the last one joins that step (typing in a
  // context file or a build-arg field). No step when nothing changed.
  void record(Content content, std::string label, double now, std::string_view merge_key = {});

  bool can_undo() const { return cur_ > 0; }
  bool can_redo() const { return cur_ + 1 < steps_.size(); }
  const std::string& undo_label() const;  // the step undo() would revert ("" when none)
  const std::string& redo_label() const;
  std::optional<Restored> undo();
  std::optional<Restored> redo();

  const Content& current() const { return steps_[cur_].content; }
  size_t size() const { return steps_.size(); }  // states kept, the current one included

 private:
  enum class Kind : uint8_t { None, Insert, Delete, Other };
  struct Step {
    Content content;     // the state after the step
    std::string label;
    TextEdit edit;       // its text edit (the whole group's)
    Kind kind = Kind::None;
    bool word = false;   // Insert: the group's last character is a word character (not space)
    std::string merge_key;
    double time = 0;     // when it was last extended
  };
  void push(Step step);
  void record_one(std::string text, double now, bool typed);

  std::vector<Step> steps_;
  size_t cur_ = 0;
  size_t max_steps_;
};

}  // namespace dfplay::app
