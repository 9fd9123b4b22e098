#include "model/undo_history.h"

#include <algorithm>
#include <utility>

namespace dfplay::app {

namespace {
bool same_files(const std::vector<WorkspaceFile>& a, const std::vector<WorkspaceFile>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].path != b[i].path || a[i].content != b[i].content || a[i].mode != b[i].mode) return false;
  return true;
}
bool same_options(const WorkspaceOptions& a, const WorkspaceOptions& b) {
  return a.target == b.target && a.build_args == b.build_args && a.platform == b.platform && a.no_cache == b.no_cache &&
         a.no_cache_filter == b.no_cache_filter && a.network == b.network && a.best_practices == b.best_practices &&
         a.digest_overrides == b.digest_overrides;
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
const std::string kNone;
}  // namespace

bool same_rest(const ContentRest& a, const ContentRest& b) {
  return a.dockerfile_path == b.dockerfile_path && a.example_id == b.example_id && same_options(a.options, b.options) &&
         same_files(a.files, b.files);
}

TextEdit diff_text(std::string_view before, std::string_view after) {
  size_t prefix = 0;
  const size_t n = std::min(before.size(), after.size());
  while (prefix < n && before[prefix] == after[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < n - prefix && before[before.size() - 1 - suffix] == after[after.size() - 1 - suffix]) ++suffix;
  return {static_cast<uint32_t>(prefix), static_cast<uint32_t>(before.size() - prefix - suffix),
          static_cast<uint32_t>(after.size() - prefix - suffix)};
}

UndoHistory::UndoHistory(size_t max_steps) : max_steps_(std::max<size_t>(max_steps, 1)) { reset({}); }

void UndoHistory::reset(Content content) {
  steps_.clear();
  steps_.push_back(Step{std::move(content), {}, {}, Kind::None, false, {}, 0});
  cur_ = 0;
}

void UndoHistory::push(Step step) {
  steps_.resize(cur_ + 1);  // a new step drops what could be redone
  steps_.push_back(std::move(step));
  if (steps_.size() > max_steps_ + 1) steps_.erase(steps_.begin(), steps_.begin() + (steps_.size() - max_steps_ - 1));
  cur_ = steps_.size() - 1;
}

void UndoHistory::record_text(std::string text, double now, bool typed) {
  const std::string& before = steps_[cur_].content.dockerfile;
  if (text == before) return;
  const TextEdit d = diff_text(before, text);
  if (typed && d.removed == 0 && d.inserted > 1 && d.inserted <= 256) {
    // Characters typed faster than frames: one at a time, so that words still group.
    const std::string head = before.substr(0, d.pos), tail = before.substr(d.pos);
    for (uint32_t i = 1; i < d.inserted; ++i) record_one(head + text.substr(d.pos, i) + tail, now, true);
  }
  record_one(std::move(text), now, typed);
}

void UndoHistory::record_one(std::string text, double now, bool typed) {
  const Step& last = steps_[cur_];
  const std::string& before = last.content.dockerfile;
  if (text == before) return;
  const TextEdit d = diff_text(before, text);
  Kind kind = Kind::Other;
  if (typed && d.removed == 0 && d.inserted == 1) kind = Kind::Insert;
  else if (typed && d.removed >= 1 && d.inserted == 0) kind = Kind::Delete;
  const bool recent = now - last.time <= kGroupSeconds && now >= last.time;
  const bool at_top = cur_ + 1 == steps_.size();
  if (cur_ > 0 && at_top && recent && kind == last.kind && last.merge_key.empty()) {
    Step& s = steps_[cur_];
    if (kind == Kind::Insert && d.pos == s.edit.pos + s.edit.inserted) {
      const bool word = !is_space(text[d.pos]);
      if (word || !s.word) {  // a space after a word starts the next step
        s.content.dockerfile = std::move(text);
        s.edit.inserted += 1;
        s.word = word;
        s.time = now;
        return;
      }
    } else if (kind == Kind::Delete && (d.pos + d.removed == s.edit.pos || d.pos == s.edit.pos)) {
      // Backspace (the range grows to the left) or Delete (the same position).
      s.content.dockerfile = std::move(text);
      s.edit.pos = d.pos;
      s.edit.removed += d.removed;
      s.time = now;
      return;
    }
  }
  Step s;
  s.content = Content{std::move(text), last.content.rest};
  s.label = kind == Kind::Insert ? "typing" : kind == Kind::Delete ? "delete" : !typed && d.inserted > 0 ? "paste" : !typed ? "cut" : "edit";
  s.edit = d;
  s.kind = kind;
  s.word = kind == Kind::Insert && !is_space(s.content.dockerfile[d.pos]);
  s.time = now;
  push(std::move(s));
}

void UndoHistory::record(Content content, std::string label, double now, std::string_view merge_key) {
  Step& last = steps_[cur_];
  const bool same_text = content.dockerfile == last.content.dockerfile;
  if (same_text && (content.rest == last.content.rest || same_rest(*content.rest, *last.content.rest))) return;
  const TextEdit d = diff_text(last.content.dockerfile, content.dockerfile);
  if (!merge_key.empty() && cur_ > 0 && cur_ + 1 == steps_.size() && last.merge_key == merge_key &&
      now - last.time <= kGroupSeconds && now >= last.time) {
    // The merged step's edit spans both (enough for placing the cursor).
    last.content = std::move(content);
    last.edit = d.removed || d.inserted ? d : last.edit;
    last.time = now;
    return;
  }
  Step s;
  s.content = std::move(content);
  s.label = std::move(label);
  s.edit = d;
  s.kind = Kind::Other;
  s.merge_key = std::string(merge_key);
  s.time = now;
  push(std::move(s));
}

const std::string& UndoHistory::undo_label() const { return can_undo() ? steps_[cur_].label : kNone; }
const std::string& UndoHistory::redo_label() const { return can_redo() ? steps_[cur_ + 1].label : kNone; }

std::optional<Restored> UndoHistory::undo() {
  if (!can_undo()) return std::nullopt;
  const Step& undone = steps_[cur_];
  --cur_;
  return Restored{&steps_[cur_].content, undone.edit.pos + undone.edit.removed, undone.label};
}

std::optional<Restored> UndoHistory::redo() {
  if (!can_redo()) return std::nullopt;
  ++cur_;
  const Step& redone = steps_[cur_];
  return Restored{&redone.content, redone.edit.pos + redone.edit.inserted, redone.label};
}

}  // namespace dfplay::app
