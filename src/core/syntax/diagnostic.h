// Diagnostics: one message style for the whole pipeline, LLVM-like:
//   FILE:LINE:COL: error: MESSAGE
// Messages start lower-case and have no trailing period.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "syntax/source.h"

namespace dfplay {

enum class Severity { Error, Warning, Note };

std::string_view severity_name(Severity s);  // "error", "warning", "note"

struct Diagnostic {
  Severity severity = Severity::Error;
  Range range;
  std::string code;     // stable identifier, e.g. "parse/unterminated-heredoc", "check/StageNameCasing"
  std::string message;  // human readable, one line
};

// FILE:LINE:COL: SEVERITY: MESSAGE
std::string format_diagnostic(const Diagnostic& d, std::string_view file);

class Diagnostics {
 public:
  void error(Range r, std::string code, std::string message);
  void warning(Range r, std::string code, std::string message);
  void note(Range r, std::string code, std::string message);
  void add(Diagnostic d) { items_.push_back(std::move(d)); }

  bool has_errors() const;
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  std::vector<Diagnostic>& items() { return items_; }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace dfplay
