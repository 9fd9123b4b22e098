// BuildKit's plain progress text for the steps of a build (`docker build --progress=plain`):
// the vertex names dockerfile2llb gives them (prefixCommand) and which steps it prints.
#pragma once
#include <string>
#include <vector>

#include "cache/session.h"
#include "sim/build.h"

namespace dfplay::report {

// The vertex name of a step: `[stage-1 2/4] COPY app.py .` for an unnamed stage of a
// multi-stage file, `[builder 3/6] RUN npm ci` for a named one, `[2/4] RUN ...` for a
// single-stage file; the index is padded to the width of the total (`[ 2/12]`), as BuildKit's
// `%*d` does. FROM prints the normalised reference (`FROM docker.io/library/python:3.12-slim`);
// continuation lines are joined as the instruction's text; heredoc bodies are not printed.
std::string progress_name(const sim::BuildResult& b, const sim::Step& st);

// The steps BuildKit prints for a build, in order: one line per vertex. A step merged with an
// identical step of an earlier stage (same vertex) is printed once, under the first stage; skipped
// stages are not printed.
struct ProgressLine {
  size_t step = 0;                 // index in BuildResult::steps (the one printed)
  std::vector<size_t> merged;      // other steps that are the same vertex
  std::string name;                // progress_name of `step`
};
std::vector<ProgressLine> progress_lines(const sim::BuildResult& b, const cache::Report& r);

}  // namespace dfplay::report
