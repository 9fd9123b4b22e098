#include "syntax/diagnostic.h"

#include <fmt/format.h>

namespace dfplay {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

std::string format_diagnostic(const Diagnostic& d, std::string_view file) {
  return fmt::format("{}:{}:{}: {}: {}", file, d.range.begin.line, d.range.begin.column,
                     severity_name(d.severity), d.message);
}

void Diagnostics::error(Range r, std::string code, std::string message) {
  items_.push_back({Severity::Error, r, std::move(code), std::move(message)});
}
void Diagnostics::warning(Range r, std::string code, std::string message) {
  items_.push_back({Severity::Warning, r, std::move(code), std::move(message)});
}
void Diagnostics::note(Range r, std::string code, std::string message) {
  items_.push_back({Severity::Note, r, std::move(code), std::move(message)});
}
bool Diagnostics::has_errors() const {
  for (const auto& d : items_)
    if (d.severity == Severity::Error) return true;
  return false;
}

}  // namespace dfplay
