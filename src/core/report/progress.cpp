#include "report/progress.h"

#include <fmt/format.h>

#include "catalog/reference.h"

namespace dfplay::report {

namespace {

// The instruction as one line, as BuildKit's parser joins it: a backslash-newline is removed
// and the next line appended as it is (its indentation kept), comment lines inside the
// continuation are dropped; heredoc bodies after the first line are not part of the name.
std::string one_line(const std::string& text) {
  std::string out;
  bool heredoc = text.find("<<") != std::string::npos;
  size_t i = 0;
  while (i < text.size()) {
    size_t nl = text.find('\n', i);
    std::string_view line(text.data() + i, (nl == std::string::npos ? text.size() : nl) - i);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t first = line.find_first_not_of(" \t");
    bool comment = i > 0 && first != std::string_view::npos && line[first] == '#';
    bool cont = !line.empty() && line.back() == '\\';
    if (!comment) out.append(cont ? line.substr(0, line.size() - 1) : line);
    if (nl == std::string::npos || heredoc || (!cont && !comment)) break;
    i = nl + 1;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  return out;
}

}  // namespace

std::string progress_name(const sim::BuildResult& b, const sim::Step& st) {
  const sim::StageResult& stage = b.stages[st.stage];
  std::string prefix = "[";
  if (b.stages.size() > 1) prefix += (stage.name.empty() ? fmt::format("stage-{}", st.stage) : stage.name) + " ";
  int width = 1;
  for (size_t n = st.vertices; n >= 10; n /= 10) ++width;
  prefix += fmt::format("{:>{}}/{}] ", st.vertex, width, st.vertices);
  if (st.kind == sim::StepKind::From) {
    // FROM <image>: the normalised reference (docker.io/library/..., the tag defaulted).
    std::string ref = stage.base;
    if (auto r = catalog::parse_reference(ref)) ref = r->canonical();
    return prefix + "FROM " + ref;
  }
  return prefix + one_line(st.text);
}

std::vector<ProgressLine> progress_lines(const sim::BuildResult& b, const cache::Report& r) {
  std::vector<ProgressLine> out;
  std::vector<size_t> line_of(b.steps.size(), SIZE_MAX);
  for (const auto& sr : r.steps) {
    if (sr.step >= b.steps.size() || sr.status == cache::Status::Skipped) continue;
    const sim::Step& st = b.steps[sr.step];
    if (st.kind == sim::StepKind::From && b.stages[st.stage].base == "scratch") continue;  // no vertex
    if (st.kind == sim::StepKind::From && st.source_stages.size() == 1 &&
        b.stages[st.source_stages[0]].label == b.stages[st.stage].base)
      continue;  // FROM <stage>: no vertex of its own
    if (sr.merged) {
      // The earlier step with the same key printed it.
      for (size_t i = 0; i < sr.step; ++i)
        if (b.steps[i].key == st.key && line_of[i] != SIZE_MAX) {
          out[line_of[i]].merged.push_back(sr.step);
          line_of[sr.step] = line_of[i];
          break;
        }
      if (line_of[sr.step] != SIZE_MAX) continue;
    }
    line_of[sr.step] = out.size();
    out.push_back({sr.step, {}, progress_name(b, st)});
  }
  return out;
}

}  // namespace dfplay::report
