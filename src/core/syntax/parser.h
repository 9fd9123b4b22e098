// The Dockerfile parser: text -> AST with positions and diagnostics. Never throws; a broken
// instruction gives a diagnostic and parsing resumes at the next instruction.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "syntax/ast.h"

namespace dfplay::syntax {

Dockerfile parse(std::string_view text);

// parse() in steps, for a caller that must not block for long (pipeline_job.h): each step()
// parses whole instructions until at least `lines` more lines were read (or the text ends) and
// says whether the text is all parsed; take() finishes and returns the Dockerfile, the same as
// parse(text)'s however the steps were cut. The text must outlive the parser.
class StepParser {
 public:
  explicit StepParser(std::string_view text);
  ~StepParser();
  StepParser(const StepParser&) = delete;
  StepParser& operator=(const StepParser&) = delete;
  bool step(uint32_t lines);
  bool done() const { return done_; }
  Dockerfile take();  // once

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool done_ = false;
};

// BuildKit's AST dump (parser.Node.Dump()): one line per instruction, trailing newline.
std::string dump(const Dockerfile& df);

}  // namespace dfplay::syntax
